/**
 * Writes a tiny sentence-embedding model in ONNX for the reranker tests: token ids →
 * Gather over an embedding table → ReduceMean over the tokens → one vector. The graph
 * is encoded with protobufjs from the few ONNX message types it needs.
 */
import { writeFileSync } from 'node:fs';
import protobuf from 'protobufjs';

const ONNX_SUBSET = `
syntax = "proto3";
package onnx;
message AttributeProto { string name = 1; float f = 2; int64 i = 3; bytes s = 4; repeated int64 ints = 8; int32 type = 20; }
message NodeProto { repeated string input = 1; repeated string output = 2; string name = 3; string op_type = 4; repeated AttributeProto attribute = 5; }
message TensorProto { repeated int64 dims = 1; int32 data_type = 2; repeated float float_data = 4; string name = 8; }
message Dimension { int64 dim_value = 1; string dim_param = 2; }
message TensorShapeProto { repeated Dimension dim = 1; }
message TypeTensor { int32 elem_type = 1; TensorShapeProto shape = 2; }
message TypeProto { TypeTensor tensor_type = 1; }
message ValueInfoProto { string name = 1; TypeProto type = 2; }
message GraphProto { repeated NodeProto node = 1; string name = 2; repeated TensorProto initializer = 5; repeated ValueInfoProto input = 11; repeated ValueInfoProto output = 12; }
message OperatorSetIdProto { string domain = 1; int64 version = 2; }
message ModelProto { int64 ir_version = 1; string producer_name = 2; GraphProto graph = 7; repeated OperatorSetIdProto opset_import = 8; }
`;

const FLOAT = 1;
const INT64 = 7;
const ATTR_INTS = 7;
const ATTR_INT = 2;

/** embeddings[v] is the vector of token id v. */
export function tinyEmbeddingModel(embeddings: number[][]): Uint8Array {
  const root = protobuf.parse(ONNX_SUBSET).root;
  const Model = root.lookupType('onnx.ModelProto');
  const dims = embeddings[0].length;
  const model = {
    irVersion: 8,
    producerName: 'xiaojin-test',
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'tiny-embed',
      node: [
        { input: ['emb', 'input_ids'], output: ['tokens'], name: 'gather', opType: 'Gather' },
        {
          input: ['tokens'],
          output: ['sentence'],
          name: 'mean',
          opType: 'ReduceMean',
          attribute: [
            { name: 'axes', ints: [1], type: ATTR_INTS },
            { name: 'keepdims', i: 0, type: ATTR_INT },
          ],
        },
      ],
      initializer: [{ name: 'emb', dims: [embeddings.length, dims], dataType: FLOAT, floatData: embeddings.flat() }],
      input: [{ name: 'input_ids', type: { tensorType: { elemType: INT64, shape: { dim: [{ dimValue: 1 }, { dimParam: 'n' }] } } } }],
      output: [{ name: 'sentence', type: { tensorType: { elemType: FLOAT, shape: { dim: [{ dimValue: 1 }, { dimValue: dims }] } } } }],
    },
  };
  const err = Model.verify(model);
  if (err) throw new Error(err);
  return Model.encode(Model.fromObject(model)).finish();
}

export function writeTinyModel(path: string, embeddings: number[][]): void {
  writeFileSync(path, tinyEmbeddingModel(embeddings));
}
