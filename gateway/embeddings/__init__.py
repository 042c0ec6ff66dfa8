"""`/v1/embeddings`: the request schema. The route, redaction, limits, audit and forwarding are the
shared pipeline's; this domain only says what an embedding request may contain."""
