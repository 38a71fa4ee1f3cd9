"""What a tool does *to* applications from outside a request: create, pack and install apps,
read their databases, list and delete their tickets and sessions. The desktop's API."""
