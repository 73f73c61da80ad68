import type { DatasetFormat, StandardRow } from '../../shared/dataset';
import { detectFormat } from './formats/detectFormat';
import { copyMediaAndPreferenceFields } from './formats/mediaFields';
import { readMessages } from './formats/messagesFormat';
import { readAlpaca, readQueryResponse } from './formats/queryResponseFormat';
import { readShareGpt } from './formats/sharegptFormat';
import { isInStoredForm } from './formats/storedForm';
import { problem, type RowProblem } from './rowProblem';

export interface ConvertedRow {
	format: DatasetFormat | null;
	row: StandardRow;
	problems: RowProblem[];
	/** The source record is already in stored form (see isInStoredForm). */
	unchanged: boolean;
}

const KNOWN_LAYOUTS = 'messages, ShareGPT (conversation/conversations), Alpaca (instruction/output) or query/response';

/** Converts one parsed record, in whichever known layout it is, to the standard ms-swift row. */
export function convertRow(source: Record<string, unknown>): ConvertedRow {
	const problems: RowProblem[] = [];
	const row: StandardRow = { messages: [] };
	const format = detectFormat(source);
	if (format === null) {
		const keys = Object.keys(source).slice(0, 8).join(', ') || 'none';
		problems.push(problem('unknown_format', null, `This row is not in a known layout (${KNOWN_LAYOUTS}); its fields are: ${keys}.`));
		return { format, row, problems, unchanged: false };
	}
	// Media lists first: content parts inside messages append to them.
	copyMediaAndPreferenceFields(source, row, problems);
	switch (format) {
		case 'messages':
			row.messages = readMessages(source.messages, 'messages', row, problems);
			break;
		case 'sharegpt':
			row.messages = readShareGpt(source, problems);
			break;
		case 'alpaca':
			row.messages = readAlpaca(source, problems);
			break;
		case 'query_response':
			row.messages = readQueryResponse(source, problems);
			break;
	}
	if (source.rejected_messages !== undefined && source.rejected_messages !== null) {
		const rejectedRow: StandardRow = { messages: [] };
		row.rejected_messages = readMessages(source.rejected_messages, 'rejected_messages', rejectedRow, problems);
	}
	return { format, row, problems, unchanged: format === 'messages' && isInStoredForm(source) };
}
