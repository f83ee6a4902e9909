// The package as CommonJS and as an ES module, through its "exports".
const test = require('node:test');
const assert = require('node:assert/strict');

test('require and import of mcp-liveness give the same class', async () => {
	const cjs = require('mcp-liveness');
	const esm = await import('mcp-liveness');
	assert.equal(typeof cjs.Liveness, 'function');
	assert.equal(esm.Liveness, cjs.Liveness);
	assert.deepEqual(esm.STATES, ['up', 'degraded', 'down', 'pending', 'unknown']);
	assert.equal(require.resolve('mcp-liveness'), require.resolve('../liveness.cjs'));
});
