/**
 * Whether a tensor belongs to a module named as PEFT names modules in `modules_to_save`: the module
 * itself or any module it sits in, matched by its full dotted name or by a suffix at a dot
 * ("lm_head" owns `lm_head.weight`, "embed_tokens" owns `model.embed_tokens.weight`,
 * "multi_modal_projector" owns `multi_modal_projector.image.linear_1.weight`).
 */
export function inModule(tensorName: string, module: string): boolean {
	const parts = tensorName.split('.');
	for (let k = 1; k < parts.length; k++) {
		const path = parts.slice(0, k).join('.');
		if (path === module || path.endsWith(`.${module}`)) return true;
	}
	return false;
}
