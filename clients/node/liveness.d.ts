// Types of mcp-liveness (liveness.cjs has the documentation).
export type State = 'up' | 'degraded' | 'down' | 'pending' | 'unknown';
export type Breaker = 'closed' | 'open' | 'half-open';
export interface Counters {
	requests: number;
	ok: number;
	notModified: number;
	notFound: number;
	failures: number;
}
export interface Options {
	base: string;
	slugs?: string[];
	pollMs?: number;
	timeoutMs?: number;
	staleMs?: number;
	failures?: number;
	openMs?: number;
	concurrency?: number;
	headers?: Record<string, string>;
	now?: () => number;
	fetch?: typeof fetch;
	onChange?: (slug: string, state: State, previous: State) => void;
}
export declare const STATES: readonly State[];
export declare class Liveness {
	constructor(opts: Options);
	watch(slug: string): this;
	unwatch(slug: string): this;
	start(): this;
	ready(): Promise<void>;
	stop(): void;
	poll(): Promise<void>;
	state(slug: string): State;
	allow(slug: string): boolean;
	record(slug: string, ok: boolean): void;
	breaker(slug: string): Breaker;
	stats(slug?: string): Counters;
}
