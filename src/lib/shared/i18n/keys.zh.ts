import type { keysEn } from './keys.en';

/** API 密钥页面（设置 → API 密钥）的简体中文文案。 */
export const keysZh: Record<keyof typeof keysEn, string> = {
	'nav.apiKeys': 'API 密钥',
	'keys.title': 'API 密钥',
	'keys.intro': '用于 /api/v1 上兼容 OpenAI 的接口（对话补全、模型列表）。密钥拥有你的角色权限；泄露后请立即吊销。',
	'keys.name': '密钥名称',
	'keys.namePlaceholder': '例如：笔记本、评测脚本',
	'keys.create': '创建密钥',
	'keys.created': '新密钥如下。请立即复制：它只显示这一次。',
	'keys.copy': '复制',
	'keys.copied': '已复制',
	'keys.col.name': '名称',
	'keys.col.prefix': '密钥',
	'keys.col.created': '创建时间',
	'keys.col.lastUsed': '最近使用',
	'keys.col.status': '状态',
	'keys.never': '从未',
	'keys.active': '有效',
	'keys.revoked': '已吊销',
	'keys.revoke': '吊销',
	'keys.confirmRevoke': '确定吊销此密钥？使用它的程序将立即无法访问。',
	'keys.none': '你还没有 API 密钥。',
	'keys.usage': '可用任意 OpenAI 客户端调用：'
};
