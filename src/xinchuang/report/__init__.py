"""Reports for people and tools: HTML, XLSX, SARIF and JSON writers."""
