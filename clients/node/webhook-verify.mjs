// webhook-verify as an ES module: the CommonJS module itself, as liveness.mjs.
// Copyright (c) 2026 The mcp-uptime authors. ISC licence: see LICENSE.
import cjs from './webhook-verify.cjs';

export const { verifyWebhook, WebhookVerifier, WebhookVerificationError, TOLERANCE_S } = cjs;
