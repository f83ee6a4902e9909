// mcp-liveness as an ES module: the CommonJS module itself, so that both
// import and require give the same class (no dual-package hazard).
import cjs from './liveness.cjs';

export const { Liveness, STATES } = cjs;
