"""Shared helpers of the qnn-mlir integration tests (test/Integration)."""
