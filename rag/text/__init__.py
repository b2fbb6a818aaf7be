"""Chinese words: the domain vocabulary (citizens' words → the report's) and the tokenizer for keyword search."""
