"""A workshop folder and the sessions the app edits: manifest, bundled sample, workspace, alignment and scorecard sessions."""
