"""``python -m matcher.report > docs/report-schema.json``: the report's JSON Schema, from its model."""

import json
import sys

from matcher.report.model import report_schema

sys.stdout.write(json.dumps(report_schema(), indent=2, ensure_ascii=False) + "\n")
