/**
 * A file the importer cannot read, with one line for the author: what the file is and what would
 * help ("a PDF: export EPUB or HTML from your editor"). Never shown with a stack trace.
 */
export class ImportError extends Error {
	override name = 'ImportError';
}
