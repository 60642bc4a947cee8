//! Conformance Viewer: read, compare and explain Kubernetes conformance results.
