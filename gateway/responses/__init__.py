"""`/v1/responses`: the Responses API mapped onto the chat pipeline. A request is translated into a chat
completion request when it is validated (so redaction, limits, audit and forwarding see a chat request),
and the chat answer is translated back into a Response object or event stream by the router."""
