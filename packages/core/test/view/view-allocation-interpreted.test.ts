// Zero allocation on the interpreted (no-eval) accessor path, in its own file so that its call
// sites never share type feedback with the generated path's.
import { allocationSuite } from '../support/allocation-suite.js';

allocationSuite(false);
