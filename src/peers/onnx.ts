/**
 * A minimal ONNX protobuf writer: enough of ModelProto to express one-node models (MatMul,
 * attention) for onnxruntime-web, so a peer needs neither a model download nor the onnx package.
 * Field numbers follow onnx.proto3 (ModelProto, GraphProto, NodeProto, AttributeProto,
 * ValueInfoProto, TypeProto, TensorShapeProto, TensorProto).
 */

/** TensorProto.DataType values used here. */
export const OnnxType = { FLOAT: 1, UINT8: 2, INT32: 6, INT64: 7 } as const;
export type OnnxElemType = (typeof OnnxType)[keyof typeof OnnxType];

/** AttributeProto.AttributeType values used here. */
const ATTR_FLOAT = 1;
const ATTR_INT = 2;

const WIRE_VARINT = 0;
const WIRE_FIXED32 = 5;
const WIRE_LEN = 2;

class ProtoWriter {
  private bytes: number[] = [];

  private varint(v: number): void {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`protobuf varint out of range: ${v}`);
    // Division instead of >>> so values above 2^31 (int64 dims) encode correctly.
    while (v >= 0x80) {
      this.bytes.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.bytes.push(v);
  }

  private tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  int(field: number, v: number): this {
    this.tag(field, WIRE_VARINT);
    this.varint(v);
    return this;
  }

  float(field: number, v: number): this {
    this.tag(field, WIRE_FIXED32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    this.bytes.push(...b);
    return this;
  }

  bytesField(field: number, data: Uint8Array): this {
    this.tag(field, WIRE_LEN);
    this.varint(data.length);
    for (let i = 0; i < data.length; i++) this.bytes.push(data[i]);
    return this;
  }

  string(field: number, s: string): this {
    return this.bytesField(field, new TextEncoder().encode(s));
  }

  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytesField(field, inner.finish());
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

export interface OnnxValueInfo {
  name: string;
  type: OnnxElemType;
  dims: number[];
}

export interface OnnxAttribute {
  name: string;
  /** Integers are written as INT attributes, other numbers as FLOAT. */
  value: number;
  kind?: 'int' | 'float';
}

export interface OnnxNode {
  opType: string;
  domain?: string;
  inputs: string[];
  outputs: string[];
  attributes?: OnnxAttribute[];
}

/**
 * A constant input baked into the model: small integer tensors (sequence lengths) as `values`, or
 * any tensor (quantized weights, float scales) as little-endian `raw` bytes, written as they are.
 */
export interface OnnxInitializer {
  name: string;
  type: OnnxElemType;
  dims: number[];
  values?: number[];
  raw?: Uint8Array;
}

export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  initializers?: OnnxInitializer[];
  /** Opset per domain; '' is the default ONNX domain. */
  opsets: Record<string, number>;
}

function writeValueInfo(w: ProtoWriter, v: OnnxValueInfo): void {
  w.string(1, v.name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, v.type);
      tensor.message(2, (shape) => {
        for (const d of v.dims) shape.message(1, (dim) => dim.int(1, d));
      });
    }),
  );
}

function writeAttribute(w: ProtoWriter, a: OnnxAttribute): void {
  const kind = a.kind ?? (Number.isInteger(a.value) ? 'int' : 'float');
  w.string(1, a.name);
  if (kind === 'int') {
    // int64 in two's complement: only the non-negative values our models use are supported.
    w.int(3, a.value);
    w.int(20, ATTR_INT);
  } else {
    w.float(2, a.value);
    w.int(20, ATTR_FLOAT);
  }
}

function writeInitializer(w: ProtoWriter, t: OnnxInitializer): void {
  for (const d of t.dims) w.int(1, d);
  w.int(2, t.type);
  w.string(8, t.name);
  // raw_data: little-endian values, the layout onnxruntime reads without a conversion.
  if (t.raw) {
    w.bytesField(9, t.raw);
    return;
  }
  const values = t.values ?? [];
  const width = t.type === OnnxType.INT64 ? 8 : 4;
  const raw = new Uint8Array(values.length * width);
  const view = new DataView(raw.buffer);
  values.forEach((v, i) => {
    if (width === 8) view.setBigInt64(i * 8, BigInt(v), true);
    else view.setInt32(i * 4, v, true);
  });
  w.bytesField(9, raw);
}

/** Serialises a graph as an ONNX ModelProto (IR version 8). */
export function encodeModel(g: OnnxGraph): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, 8); // ir_version 8 pairs with opset 17
  w.string(2, 'gpu-playground');
  w.message(7, (graph) => {
    for (const n of g.nodes)
      graph.message(1, (node) => {
        for (const i of n.inputs) node.string(1, i);
        for (const o of n.outputs) node.string(2, o);
        node.string(3, `${n.opType}_0`);
        node.string(4, n.opType);
        for (const a of n.attributes ?? []) node.message(5, (attr) => writeAttribute(attr, a));
        if (n.domain) node.string(7, n.domain);
      });
    graph.string(2, g.name);
    for (const t of g.initializers ?? []) graph.message(5, (init) => writeInitializer(init, t));
    for (const v of g.inputs) graph.message(11, (vi) => writeValueInfo(vi, v));
    for (const v of g.outputs) graph.message(12, (vi) => writeValueInfo(vi, v));
  });
  for (const [domain, version] of Object.entries(g.opsets))
    w.message(8, (op) => {
      if (domain) op.string(1, domain);
      op.int(2, version);
    });
  return w.finish();
}

/** C[M,N] = A[M,K] · B[K,N], one ONNX MatMul node. Inputs 'A', 'B'; output 'C'. */
export function matmulModel(M: number, K: number, N: number): Uint8Array {
  return encodeModel({
    name: 'matmul',
    nodes: [{ opType: 'MatMul', inputs: ['A', 'B'], outputs: ['C'] }],
    inputs: [
      { name: 'A', type: OnnxType.FLOAT, dims: [M, K] },
      { name: 'B', type: OnnxType.FLOAT, dims: [K, N] },
    ],
    outputs: [{ name: 'C', type: OnnxType.FLOAT, dims: [M, N] }],
    opsets: { '': 17 },
  });
}

/**
 * O = softmax(Q·Kᵀ/√d)·V for each of BH independent heads, Q/K/V/O shaped [BH, N, d].
 *
 * The heads go in the batch dimension with num_heads = 1, so our [BH, N, d] layout is exactly the
 * op's [batch, sequence, hidden] layout and no transposes are needed around the op.
 * - non-causal: com.microsoft MultiHeadAttention. Its WebGPU kernel refuses `unidirectional`
 *   ("Unidirectional MHA does not support webgpu kernel"), so it serves the non-causal case only.
 * - causal: com.microsoft GroupQueryAttention with num_heads = kv_num_heads = 1, which always
 *   masks causally; it needs the per-batch key length − 1 (seqlens_k) and the total key length,
 *   baked in as initializers for a prefill with no past KV cache.
 */
export function attentionModel(BH: number, N: number, d: number, causal: boolean): Uint8Array {
  const qkv: OnnxValueInfo[] = ['Q', 'K', 'V'].map((name) => ({ name, type: OnnxType.FLOAT, dims: [BH, N, d] }));
  const out: OnnxValueInfo = { name: 'O', type: OnnxType.FLOAT, dims: [BH, N, d] };
  const scale: OnnxAttribute = { name: 'scale', value: 1 / Math.sqrt(d), kind: 'float' };
  if (!causal) {
    return encodeModel({
      name: 'mha',
      nodes: [
        {
          opType: 'MultiHeadAttention',
          domain: 'com.microsoft',
          inputs: ['Q', 'K', 'V'],
          outputs: ['O'],
          attributes: [{ name: 'num_heads', value: 1, kind: 'int' }, scale],
        },
      ],
      inputs: qkv,
      outputs: [out],
      opsets: { '': 17, 'com.microsoft': 1 },
    });
  }
  return encodeModel({
    name: 'gqa_causal',
    nodes: [
      {
        opType: 'GroupQueryAttention',
        domain: 'com.microsoft',
        // Empty names skip the optional past_key / past_value inputs.
        inputs: ['Q', 'K', 'V', '', '', 'seqlens_k', 'total_sequence_length'],
        outputs: ['O', 'present_key', 'present_value'],
        attributes: [
          { name: 'num_heads', value: 1, kind: 'int' },
          { name: 'kv_num_heads', value: 1, kind: 'int' },
          scale,
        ],
      },
    ],
    inputs: qkv,
    outputs: [out],
    initializers: [
      { name: 'seqlens_k', type: OnnxType.INT32, dims: [BH], values: new Array<number>(BH).fill(N - 1) },
      { name: 'total_sequence_length', type: OnnxType.INT32, dims: [1], values: [N] },
    ],
    opsets: { '': 17, 'com.microsoft': 1 },
  });
}
