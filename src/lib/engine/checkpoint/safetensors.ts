/** The project's own reader and writer for the safetensors checkpoint format. */
export {
	type SafetensorsDtype,
	type TensorData,
	dtypeByteSize,
	elementCount,
	tensorDataToFloat32
} from './safetensorsDtypes';
export {
	type SafetensorsHeader,
	type TensorInfo,
	MAX_HEADER_BYTES,
	SafetensorsFormatError
} from './safetensorsHeader';
export { SafetensorsBuffer, SafetensorsFile, openSafetensors, readSafetensors } from './safetensorsReader';
export { type TensorToSave, type TensorInMemory, serializeSafetensors, writeSafetensors } from './safetensorsWriter';
