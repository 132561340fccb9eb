// umap-js (15 neighbours, min_dist 0.1, Euclidean on the unit rows) on raw float32 rows.
//   node umap_js.js IN.f32 N D SEED OUT.f32   prints the seconds umap-js took (one thread: JavaScript)
const fs = require('fs');
const { UMAP } = require('umap-js');
const [inPath, n, d, seed, outPath] = process.argv.slice(2);
const raw = fs.readFileSync(inPath);
const flat = new Float32Array(raw.buffer, raw.byteOffset, Number(n) * Number(d));
const rows = [];
for (let i = 0; i < Number(n); i++) rows.push(Array.from(flat.subarray(i * Number(d), (i + 1) * Number(d))));
let state = Number(seed) >>> 0 || 1;
const random = () => { state ^= state << 13; state >>>= 0; state ^= state >>> 17; state ^= state << 5; state >>>= 0; return state / 4294967296; };
const t = process.hrtime.bigint();
const y = new UMAP({ nComponents: 2, nNeighbors: 15, minDist: 0.1, random }).fit(rows);
const took = Number(process.hrtime.bigint() - t) / 1e9;
const out = new Float32Array(2 * y.length);
y.forEach((p, i) => { out[2 * i] = p[0]; out[2 * i + 1] = p[1]; });
fs.writeFileSync(outPath, Buffer.from(out.buffer));
console.log(took.toFixed(2));
