"""The browser bridge's desktop side: native-messaging framing, the host, host manifests."""
