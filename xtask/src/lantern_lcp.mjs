// What the lab LCP of each page is made of, for `cargo xtask bench` (bench.rs
// runs it with node after the Lighthouse table). Lighthouse does not measure
// LCP on the slow profile: it simulates it (Lantern) from a fast local load.
// The simulation counts every request that finished before the LCP paint
// of that local load, and LCP is when the last of them, and the work after
// it, would end on the slow link. This replays the simulation on the
// artifacts Lighthouse saved (-GA) for each page and prints that request.
// bench.rs puts Lighthouse's install directory in place of the placeholder.
const modules = '__NODE_MODULES__';
const { default: lighthouse } = await import(`${modules}/lighthouse/core/index.js`);
const Lantern = await import(`${modules}/@paulirish/trace_engine/models/trace/lantern/lantern.js`);

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
console.log(`${'page'.padEnd(9)} ${'LCP ms'.padStart(7)}  ${'requests'.padStart(8)} ${'bytes'.padStart(9)}  last request to end (simulated ms, size)`);
for (const arg of process.argv.slice(2)) {
  const [name, dir] = arg.split('=');
  const simulator = Lantern.Simulation.Simulator;
  simulator.allNodeTimings?.clear?.();
  let lcp;
  try {
    const result = await lighthouse(undefined, { auditMode: dir, onlyCategories: ['performance', 'accessibility', 'best-practices'], logLevel: 'error' });
    lcp = result.lhr.audits['largest-contentful-paint'].numericValue;
  } catch (e) {
    console.log(`${name.padEnd(9)} could not replay: ${e.message}`);
    continue;
  }
  const timings = simulator.allNodeTimings.get('pessimisticLargestContentfulPaint');
  if (!timings) {
    console.log(`${name.padEnd(9)} ${String(Math.round(lcp)).padStart(7)}  (no simulation found)`);
    continue;
  }
  let last = null;
  let count = 0;
  let bytes = 0;
  for (const [node, t] of timings) {
    if (node.type !== 'network') continue;
    count += 1;
    bytes += node.request.transferSize || 0;
    if (!last || t.endTime > last.end) last = { end: t.endTime, node };
  }
  const path = last.node.request.url.replace(/^https?:\/\/[^/]+/, '');
  console.log(`${name.padEnd(9)} ${String(Math.round(lcp)).padStart(7)}  ${String(count).padStart(8)} ${kb(bytes).padStart(9)}  ${path} (${Math.round(last.end)}, ${kb(last.node.request.transferSize || 0)})`);
}
console.log('(the simulation counts every request that ended before the LCP paint of the fast local load; LCP <= 1.5 s needs that paint before the WASM arrives)');
