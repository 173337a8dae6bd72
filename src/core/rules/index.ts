/** The rule registry: one line per rule. */
import type { Rule } from '../rule.js';
import { rule as UV101 } from './UV101.js';
import { rule as UV102 } from './UV102.js';
import { rule as UV103 } from './UV103.js';
import { rule as UV104 } from './UV104.js';
import { rule as UV105 } from './UV105.js';
import { rule as UV106 } from './UV106.js';
import { rule as UV107 } from './UV107.js';
import { rule as UV108 } from './UV108.js';
import { rule as UV109 } from './UV109.js';
import { rule as UV110 } from './UV110.js';
import { rule as UV111 } from './UV111.js';
import { rule as UV201 } from './UV201.js';
import { rule as UV202 } from './UV202.js';
import { rule as UV203 } from './UV203.js';
import { rule as UV204 } from './UV204.js';
import { rule as PY301 } from './PY301.js';
import { rule as PY302 } from './PY302.js';
import { rule as PY303 } from './PY303.js';
import { rule as CT401 } from './CT401.js';
import { rule as CT402 } from './CT402.js';
import { rule as CT403 } from './CT403.js';
import { rule as CT404 } from './CT404.js';
import { rule as CT405 } from './CT405.js';
import { rule as CT406 } from './CT406.js';
import { rule as CT407 } from './CT407.js';
import { rule as EP501 } from './EP501.js';
import { rule as EP502 } from './EP502.js';
import { rule as RO901 } from './RO901.js';
import { rule as RO902 } from './RO902.js';
import { rule as RO903 } from './RO903.js';

export const RULES: readonly Rule[] = [UV101, UV102, UV103, UV104, UV105, UV106, UV107, UV108, UV109, UV110, UV111, UV201, UV202, UV203, UV204, PY301, PY302, PY303, CT401, CT402, CT403, CT404, CT405, CT406, CT407, EP501, EP502, RO901, RO902, RO903];

export function findRule(idOrName: string): Rule | undefined {
  return RULES.find((r) => r.id === idOrName || r.name === idOrName);
}
