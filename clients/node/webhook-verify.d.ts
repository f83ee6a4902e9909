// Types of webhook-verify (webhook-verify.cjs has the documentation).
export type Reason = 'headers' | 'timestamp' | 'too-old' | 'too-new' | 'signature' | 'seen' | 'in-flight';
export type HeaderBag = Record<string, string | string[] | undefined> | { get(name: string): string | null };
export interface Delivery {
	id: string;
	timestamp: number;
}
export declare const TOLERANCE_S: number;
export declare class WebhookVerificationError extends Error {
	reason: Reason;
}
export declare function verifyWebhook(
	secret: string | Buffer,
	headers: HeaderBag,
	body: string | Buffer,
	options?: { now?: number; toleranceS?: number },
): Delivery;
export declare class WebhookVerifier {
	constructor(options: { secret: string; toleranceS?: number; keepMs?: number; max?: number; now?: () => number });
	verify(headers: HeaderBag, body: string | Buffer): Delivery;
	done(id: string, taken: boolean): void;
}
