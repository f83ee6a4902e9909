// mcp-liveness as an ES module: the CommonJS module itself, so that both
// import and require give the same class (no dual-package hazard).
// Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
import cjs from './liveness.cjs';

export const { Liveness, STATES } = cjs;
