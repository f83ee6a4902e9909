// webhook-verify as an ES module: the CommonJS module itself, as liveness.mjs.
import cjs from './webhook-verify.cjs';

export const { verifyWebhook, WebhookVerifier, WebhookVerificationError, TOLERANCE_S } = cjs;
