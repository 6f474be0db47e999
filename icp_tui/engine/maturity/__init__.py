"""The maturity questionnaire, self-assessments and their reports."""
