"""The audit log: recording actions and keeping the chain tamper-evident."""
