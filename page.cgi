Status: 503 Service Unavailable
Content-Type: application/json; charset=utf-8
Content-Length: 29
Cache-Control: no-store
Vary: Accept-Encoding
Access-Control-Allow-Origin: *
Retry-After: 30
X-Content-Type-Options: nosniff

{"error":"store unavailable"}