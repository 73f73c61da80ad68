// Every bench section, in run order. A new section is a file in this folder exporting a
// BenchSection, added to this list.

import type { BenchSection } from '../section';
import { datasetsSection } from './datasets';
import { demoSection } from './demo';
import { inferSection } from './infer';
import { kernelsSection } from './kernels';
import { loadSection } from './load';
import { onnxExportSection } from './onnxExport';
import { streamSection } from './stream';
import { trainSection } from './train';

export const sections: BenchSection[] = [kernelsSection, trainSection, streamSection, demoSection, datasetsSection, loadSection, onnxExportSection, inferSection];
