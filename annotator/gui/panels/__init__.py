"""The panels around the article: the document list, the span, suggestion, relation and
review lists, the label bar, the bar of a document sent back for correction and the status
bar. Each shows a model and emits what the
analyst chose; none reaches into the main window.
"""
