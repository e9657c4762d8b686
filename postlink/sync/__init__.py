"""The sync daemon: pull from the post, apply, match, push the outbox, track deadlines."""
