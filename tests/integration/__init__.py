"""Integration tests: real ansible-playbook runs against the Central emulator."""
