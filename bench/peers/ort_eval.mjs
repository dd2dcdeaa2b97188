// Runs Fashion-MNIST ONNX models with ONNX Runtime (onnxruntime-node) over a
// prepared test set: top-1 accuracy and single-thread batch-1 latency.
//
//   npm install --ignore-scripts          # onnxruntime-node, version pinned in package.json
//   node ort_eval.mjs [--data test-set.npz] [--logits DIR] [--warmup N] model.onnx...
//
// Every image is run on its own ([1, 1, 28, 28]) in a session limited to one
// thread (intra- and inter-op), sequential execution, all graph optimizations
// (so ORT fuses QDQ groups into its int8 kernels). The latency is the median
// over the timed calls of the wall time of session.run(), which includes the
// Node binding's overhead. Prints one JSON line per model. With --logits the
// fp32 logits of every image are written to DIR/<model>.logits.npy [N, 10].

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ort from 'onnxruntime-node';

const here = path.dirname(fileURLToPath(import.meta.url));

// --- .npz / .npy ------------------------------------------------------------

const DTYPES = {
  '<f4': Float32Array,
  '<i8': BigInt64Array,
  '<i4': Int32Array,
  '|u1': Uint8Array,
};

function parseNpy(buf) {
  if (buf.readUInt32BE(0) !== 0x934e554d || buf.toString('latin1', 4, 6) !== 'PY')
    throw new Error('not a .npy array');
  const major = buf[6];
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = buf.toString('latin1', start, start + headerLen);
  const descr = /'descr':\s*'([^']+)'/.exec(header)[1];
  if (/'fortran_order':\s*True/.test(header)) throw new Error('fortran order unsupported');
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header)[1]
    .split(',').map((s) => s.trim()).filter((s) => s).map(Number);
  const Type = DTYPES[descr];
  if (!Type) throw new Error(`dtype ${descr} unsupported`);
  const data = buf.subarray(start + headerLen);
  const count = shape.reduce((a, b) => a * b, 1);
  // Copy: the zip entry's offset need not be aligned for the typed array.
  const out = new Type(count);
  new Uint8Array(out.buffer).set(data.subarray(0, count * Type.BYTES_PER_ELEMENT));
  return { shape, data: out };
}

// numpy.savez writes stored (uncompressed) zip entries, with zip64 sizes.
function readNpz(file) {
  const buf = fs.readFileSync(file);
  const arrays = {};
  let offset = 0;
  while (buf.readUInt32LE(offset) === 0x04034b50) {
    const method = buf.readUInt16LE(offset + 8);
    let size = buf.readUInt32LE(offset + 18);
    const nameLen = buf.readUInt16LE(offset + 26);
    const extraLen = buf.readUInt16LE(offset + 28);
    const name = buf.toString('utf8', offset + 30, offset + 30 + nameLen);
    const extra = offset + 30 + nameLen;
    if (size === 0xffffffff) {
      for (let e = extra; e < extra + extraLen;) {
        const id = buf.readUInt16LE(e);
        const len = buf.readUInt16LE(e + 2);
        if (id === 0x0001) size = Number(buf.readBigUInt64LE(e + 12)); // after uncompressed size
        e += 4 + len;
      }
    }
    if (method !== 0) throw new Error(`${file}: ${name} is compressed (use numpy.savez)`);
    const data = extra + extraLen;
    arrays[name.replace(/\.npy$/, '')] = parseNpy(buf.subarray(data, data + size));
    offset = data + size;
  }
  return arrays;
}

function writeNpy(file, shape, data) {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')},), }`;
  header += ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
  const head = Buffer.alloc(10);
  head.writeUInt32BE(0x934e554d, 0);
  head.write('PY', 4, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  fs.writeFileSync(file, Buffer.concat([head, Buffer.from(header, 'latin1'),
    Buffer.from(data.buffer, data.byteOffset, data.byteLength)]));
}

// --- evaluation -----------------------------------------------------------

// The q-quantile (0..1) of ascending values, by the nearest rank below.
function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function evaluate(modelPath, images, labels, options) {
  const session = await ort.InferenceSession.create(modelPath, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const [inputName] = session.inputNames;
  const [outputName] = session.outputNames;
  const [count, , height, width] = images.shape;
  const pixels = height * width;
  const logits = new Float32Array(count * 10);
  const one = (i) => new ort.Tensor('float32',
    images.data.subarray(i * pixels, (i + 1) * pixels), [1, 1, height, width]);

  for (let i = 0; i < options.warmup; ++i) await session.run({ [inputName]: one(i % count) });
  const times = [];
  let correct = 0;
  for (let i = 0; i < count; ++i) {
    const feeds = { [inputName]: one(i) };
    const start = process.hrtime.bigint();
    const result = await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - start) / 1e3);
    const row = result[outputName].data;
    logits.set(row, i * 10);
    let best = 0;
    for (let c = 1; c < 10; ++c) if (row[c] > row[best]) best = c;
    if (BigInt(best) === labels.data[i]) ++correct;
  }
  if (options.logits) {
    fs.mkdirSync(options.logits, { recursive: true });
    const base = path.basename(modelPath, '.onnx');
    writeNpy(path.join(options.logits, `${base}.logits.npy`), [count, 10], logits);
  }
  times.sort((a, b) => a - b);
  const mid = count >> 1;
  const median = count % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
  return {
    model: path.relative(process.cwd(), modelPath),
    bytes: fs.statSync(modelPath).size,
    images: count,
    accuracy_percent: Number((100 * correct / count).toFixed(2)),
    median_latency_us: Number(median.toFixed(1)),
    p10_latency_us: Number(quantile(times, 0.1).toFixed(1)),
    p90_latency_us: Number(quantile(times, 0.9).toFixed(1)),
  };
}

async function main() {
  const options = {
    data: path.join(here, '../../examples/fashion-mnist/data/test-set.npz'),
    logits: null,
    warmup: 200,
  };
  const models = [];
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; ++i) {
    if (args[i] === '--data') options.data = args[++i];
    else if (args[i] === '--logits') options.logits = args[++i];
    else if (args[i] === '--warmup') options.warmup = Number(args[++i]);
    else if (args[i].startsWith('--')) throw new Error(`unknown option ${args[i]}`);
    else models.push(args[i]);
  }
  if (models.length === 0) {
    console.error('usage: node ort_eval.mjs [--data test-set.npz] [--logits DIR] model.onnx...');
    process.exit(2);
  }
  const { images, labels } = readNpz(options.data);
  console.error(`onnxruntime-node ${ort.env.versions.common}, ${labels.data.length} images ` +
    `from ${options.data}`);
  for (const model of models) {
    console.log(JSON.stringify(await evaluate(model, images, labels, options)));
  }
}

main().catch((error) => {
  console.error(`ort_eval: ${error.message}`);
  process.exit(1);
});
