// Typed calls for assessments (staff side) and the questionnaire templates they use.
import type { ThreadCount } from './assessment/thread';
import { del, get, patch, post, put, upload, type ListPage, type RequestOptions } from './api';
import type { AnsweredBy, AnswerValue, Delegation, ShowIf } from './portal/portal';

export const ASSESSMENT_STATUSES = [
	'draft',
	'sent',
	'in_progress',
	'submitted',
	'in_review',
	'completed',
	'cancelled',
	'expired'
] as const;
export type AssessmentStatus = (typeof ASSESSMENT_STATUSES)[number];

export interface AssessmentSummary {
	id: string;
	title: string;
	vendor_id: string;
	vendor_name: string;
	template_id: string;
	status: AssessmentStatus;
	due_date: string;
	reviewer_id: string | null;
	reviewer_name: string;
	contact_email: string;
	contact_name: string;
	effectiveness: number | null;
	previous_id: string | null;
	sent_at: string | null;
	submitted_at: string | null;
	completed_at: string | null;
	created_at: string;
	updated_at: string;
	version: number;
}

export interface TemplateQuestion {
	key: string;
	text: string;
	help?: string;
	type: string;
	required: boolean;
	weight: number;
	choices?: { value: string; label: string; score?: number | null }[] | null;
	show_if?: ShowIf | null;
	expected?: string[] | null;
	frameworks?: string[] | null;
	/** multiple_choice: "max" (best choice) or "average". */
	scoring?: string;
	/** number: the first band whose max is at least the answer gives the score (null max: the rest). */
	thresholds?: { max: number | null; score: number }[];
	/** date: scores 100 when at most this many days old. */
	max_age_days?: number;
}

export interface TemplateSection {
	key: string;
	title: string;
	description?: string;
	questions: TemplateQuestion[] | null;
}

export interface TemplateSummary {
	id: string;
	key: string;
	name: string;
	description: string;
	revision: number;
	status: 'draft' | 'published' | 'retired';
	builtin: boolean;
	question_count: number;
	published_at: string | null;
	updated_at: string;
}

export interface Template extends TemplateSummary {
	sections: TemplateSection[] | null;
}

export interface FileView {
	id: string;
	filename: string;
	size: number;
	content_type: string;
	created_at: string;
}

export interface AnswerView {
	value: AnswerValue;
	comment: string;
	files: FileView[] | null;
	score: number | null;
	visible: boolean;
	confirmed: boolean;
	changed: boolean;
	previous: AnswerValue;
	reopened: boolean;
	review_status: '' | 'accepted' | 'follow_up' | 'finding';
	review_comment: string;
	/** The answer when the reviewer asked for a follow-up, when the vendor has changed it since; else null. */
	before_follow_up: AnswerValue;
	/** Where a reviewer brought the answer in from (the vendor's document, an earlier assessment); '' when the vendor answered in the portal. */
	source?: string;
	/** The evidence-library document a file question's answer stands on; its review scores the answer. */
	evidence?: AnswerEvidence | null;
	/** The conversation on the question: every message, and the vendor's the caller has not read. */
	thread?: ThreadCount | null;
	/** The portal contact whose link last saved the answer. */
	answered_by?: AnsweredBy | null;
}

export interface AnswerEvidence {
	document_id: string;
	kind: string;
	title: string;
	status: 'received' | 'in_review' | 'accepted' | 'rejected';
	expires_on: string;
	expiry: '' | 'expiring' | 'expired';
}

export interface SectionResult {
	key: string;
	title: string;
	score: number | null;
	answered: number;
	counted: number;
	visible: number;
	weight: number;
}

export interface Invitation {
	/** A link the vendor's main contact shared with a colleague for some sections. */
	delegated?: boolean;
	id?: string;
	created_at?: string;
	expires_at?: string;
	revoked_at?: string | null;
	[k: string]: unknown;
}

export interface AssessmentDetail extends AssessmentSummary {
	/** Its business units (on the object's own page only). */
	business_unit_ids?: string[];
	template: Template;
	answers: Record<string, AnswerView> | null;
	progress: { answered: number; visible: number; missing_required: number };
	result: { overall: number | null; sections: SectionResult[] | null } | null;
	follow_ups: string[] | null;
	invitations: Invitation[] | null;
}

export interface AssessmentQuery {
	vendor_id?: string;
	status?: string;
	reviewer_id?: string;
	/** A questionnaire's key: every revision of it. */
	template?: string;
	due?: 'overdue' | 'due_soon';
	sort?: string;
	limit?: number;
	cursor?: string | null;
}

const path = (id: string) => `/assessments/${encodeURIComponent(id)}`;

export function listAssessments(query: AssessmentQuery, options?: RequestOptions): Promise<ListPage<AssessmentSummary>> {
	return get<ListPage<AssessmentSummary>>('/assessments', { ...options, query: { ...query } });
}

export function getAssessment(id: string, options?: RequestOptions): Promise<AssessmentDetail> {
	return get<AssessmentDetail>(path(id), options);
}

export interface NewAssessment {
	vendor_id: string;
	template_id: string;
	due_date: string;
	reviewer_id: string;
	contact_email: string;
	contact_name?: string;
	previous_id?: string;
	/** Absent: the vendor's units. */
	business_unit_ids?: string[];
}

export function createAssessment(body: NewAssessment): Promise<AssessmentDetail> {
	return post<AssessmentDetail>('/assessments', body);
}

export interface SendResult {
	assessment: AssessmentSummary;
	portal_url: string;
	expires_at: string;
	/** The address the invitation was mailed (or held in the demo outbox) to; empty when mail is off. */
	emailed_to: string;
	mail_mode: 'off' | 'on' | 'demo';
}

export function sendAssessment(
	id: string,
	version: number,
	options: { expiresInDays?: number; contactEmail?: string; contactName?: string } = {}
): Promise<SendResult> {
	return post(`${path(id)}/send`, {
		version,
		expires_in_days: options.expiresInDays,
		contact_email: options.contactEmail || undefined,
		contact_name: options.contactEmail ? options.contactName || undefined : undefined
	});
}

/** The links the vendor's main contact shared with colleagues, newest first. */
export function assessmentDelegations(id: string): Promise<{ items: Delegation[] }> {
	return get<{ items: Delegation[] }>(`${path(id)}/delegations`);
}

export function revokeAssessmentDelegation(id: string, delegationId: string): Promise<void> {
	return del<void>(`${path(id)}/delegations/${encodeURIComponent(delegationId)}`);
}

export function revokeLink(id: string): Promise<unknown> {
	return post(`${path(id)}/revoke-link`);
}

export function reviewAnswer(
	id: string,
	key: string,
	status: AnswerView['review_status'],
	comment = '',
	findingTitle?: string
): Promise<AssessmentDetail> {
	const body: Record<string, string> = { status, comment };
	if (status === 'finding' && findingTitle) body.finding_title = findingTitle;
	return put<AssessmentDetail>(`${path(id)}/answers/${encodeURIComponent(key)}/review`, body);
}

/** Stands a file question's answer on a document of the vendor's evidence library ('' removes the link). */
export function linkAnswerEvidence(id: string, key: string, documentId: string): Promise<AssessmentDetail> {
	return put<AssessmentDetail>(`${path(id)}/answers/${encodeURIComponent(key)}/evidence`, { document_id: documentId });
}

/** Copies a file the vendor attached into the evidence library as a new document of `kind`, and links the answer to it. */
export function fileAnswerToEvidence(id: string, fileId: string, kind: string): Promise<AssessmentDetail & { document_id: string }> {
	return post<AssessmentDetail & { document_id: string }>(`${path(id)}/files/${encodeURIComponent(fileId)}/evidence`, { kind });
}

/** Accepts the named answers that are given and not yet marked; the rest are left as they are. */
export function acceptAnswers(id: string, keys: string[]): Promise<AssessmentDetail & { accepted: number }> {
	return post<AssessmentDetail & { accepted: number }>(`${path(id)}/answers/accept`, { keys });
}

export type AssessmentAction = 'follow_up' | 'complete' | 'cancel';

export function moveAssessment(id: string, version: number, action: AssessmentAction): Promise<AssessmentDetail> {
	return post<AssessmentDetail>(`${path(id)}/transition`, { version, action });
}

/** Puts the assessment in units; a scoped person names only their own and the server keeps the others. */
export function setAssessmentUnits(id: string, version: number, businessUnitIds: string[]): Promise<AssessmentDetail> {
	return put<AssessmentDetail>(`${path(id)}/business-units`, { version, business_unit_ids: businessUnitIds });
}

/** One row of an answer file not taken, or taken with a note, and where it is. */
export interface ImportRowNote {
	sheet: string;
	row: number;
	/** As a spreadsheet names it: "Answers!C14", or "C14" in a CSV file. */
	cell: string;
	key: string;
	message: string;
}

/** Whether one sheet of the file was read, and what it gave. */
export interface ImportSheetReport {
	name: string;
	hidden: boolean;
	read: boolean;
	heading_row: number;
	answers: number;
	note: string;
}

export interface AnswerImportReport {
	dry_run: boolean;
	valid_only: boolean;
	committed: boolean;
	sheets: ImportSheetReport[] | null;
	matched: number;
	changed: number;
	saved: number;
	unmatched: ImportRowNote[] | null;
	invalid: ImportRowNote[] | null;
	notes: ImportRowNote[] | null;
}

export interface ImportAnswersOptions {
	dryRun: boolean;
	/** Save the rows that can be taken even though others cannot (otherwise any bad row refuses the import). */
	validOnly?: boolean;
	onprogress?: (loaded: number, total: number) => void;
}

export function importAnswers(id: string, file: File, options: ImportAnswersOptions): Promise<AnswerImportReport> {
	const form = new FormData();
	form.append('file', file);
	const query: Record<string, boolean> = { dry_run: options.dryRun };
	if (options.validOnly) query.valid_only = true;
	return upload<AnswerImportReport>(`${path(id)}/import`, form, { query, onprogress: options.onprogress });
}

export interface IntakeMatch {
	question_key: string;
	question_text: string;
	similarity: number;
	by: 'id' | 'text';
	shared_words: string[] | null;
}

export interface IntakeParsed {
	value: AnswerValue;
	comment: string;
	problem: string;
}

export interface IntakePair {
	source_id: string;
	source_question: string;
	source_answer: string;
	source_comment: string;
	source_ref: string;
	source_quote: string;
	match: IntakeMatch | null;
	parsed: IntakeParsed | null;
	note: string;
	alternatives: IntakeMatch[] | null;
}

export interface IntakeProposal {
	origin: 'document' | 'reuse';
	source: string;
	from_assessment_id: string;
	pairs: IntakePair[] | null;
	unmatched_template_questions: { key: string; text: string }[] | null;
}

export interface IntakeConfirmMatch {
	question_key: string;
	value?: AnswerValue;
	answer_text?: string;
	comment: string;
	source_quote: string;
}

export interface IntakeSaved {
	saved: number;
	notes: { question_key: string; problem: string }[] | null;
}

/** Reads the vendor's own answered questionnaire into a proposal; nothing is saved. */
export function intakeFile(id: string, file: File, onprogress?: (l: number, t: number) => void): Promise<IntakeProposal> {
	const form = new FormData();
	form.append('file', file);
	return upload<IntakeProposal>(`${path(id)}/intake`, form, { onprogress });
}

/** Proposes an earlier assessment's answers for this one; nothing is saved. */
export function reuseAnswers(id: string, fromAssessmentId: string): Promise<IntakeProposal> {
	return post<IntakeProposal>(`${path(id)}/intake/reuse`, { from_assessment_id: fromAssessmentId });
}

export function confirmIntake(
	id: string,
	body: { origin: 'document' | 'reuse'; from_assessment_id?: string; version?: number; matches: IntakeConfirmMatch[] }
): Promise<IntakeSaved> {
	return post<IntakeSaved>(`${path(id)}/intake/confirm`, body);
}

export function exportUrl(id: string): string {
	return `/api/v1${path(id)}/export.xlsx`;
}

export function evidenceUrl(id: string, fileId: string): string {
	return `/api/v1${path(id)}/files/${encodeURIComponent(fileId)}`;
}

export function listTemplates(options?: RequestOptions): Promise<ListPage<TemplateSummary>> {
	return get<ListPage<TemplateSummary>>('/questionnaire-templates', options);
}

export function getTemplate(id: string, options?: RequestOptions): Promise<Template> {
	return get<Template>(`/questionnaire-templates/${encodeURIComponent(id)}`, options);
}

/** Statuses in which the vendor still has to answer; only there can a due date pass. */
const awaitingVendor = ['draft', 'sent', 'in_progress'];

/** Past its due date while still waiting for the vendor; a submitted assessment never is. */
export function isOverdue(a: { due_date: string; status: string }, today = new Date().toISOString().slice(0, 10)): boolean {
	return !!a.due_date && a.due_date < today && awaitingVendor.includes(a.status);
}

/** "87.5" for a score, "—" for none. */
export function formatScore(score: number | null | undefined): string {
	return score === null || score === undefined ? '—' : score.toFixed(1).replace(/\.0$/, '');
}

export interface TemplateProblem {
	section?: string;
	question?: string;
	/** The part at fault: text, help, weight, choices, expected, show_if, frameworks, title, … */
	field?: string;
	message: string;
}

export interface TemplateDetail extends Template {
	version: number;
	problems: TemplateProblem[] | null;
	/** The file this revision was imported from, when it was. */
	source: { filename: string; format: string; size: number; sha256: string; uploaded_at: string } | null;
}

const tpl = (id: string) => `/questionnaire-templates/${encodeURIComponent(id)}`;

export function getTemplateDetail(id: string): Promise<TemplateDetail> {
	return get<TemplateDetail>(tpl(id));
}

export function reviseTemplate(id: string, version: number): Promise<TemplateDetail> {
	return post<TemplateDetail>(`${tpl(id)}/revise`, { version });
}

export function publishTemplate(id: string, version: number): Promise<TemplateDetail> {
	return post<TemplateDetail>(`${tpl(id)}/publish`, { version });
}

export function updateTemplate(
	id: string,
	body: { version: number; name?: string; description?: string; sections?: TemplateSection[] }
): Promise<TemplateDetail> {
	return patch<TemplateDetail>(tpl(id), body);
}

export function templateExportUrl(id: string): string {
	return `/api/v1${tpl(id)}/export.xlsx`;
}

export interface SheetMapping {
	sheet: string;
	sheets: string[] | null;
	header_row: number;
	id: number | null;
	section: number | null;
	question: number | null;
	answer: number | null;
	type: number | null;
	choices: number | null;
	help: number | null;
	required: number | null;
	weight: number | null;
	compliant: number | null;
	show_if: number | null;
	frameworks: number[] | null;
}

/** The single-column fields of a mapping, in the order the wizard shows them, with their labels. */
export const MAPPING_FIELDS = [
	['id', 'Question ID'],
	['question', 'Question'],
	['section', 'Section'],
	['answer', 'Answer (its drop-down gives the choices)'],
	['type', 'Answer type'],
	['choices', 'Choices'],
	['help', 'Help'],
	['required', 'Required or critical'],
	['weight', 'Weight'],
	['compliant', 'Preferred answer'],
	['show_if', 'Show if']
] as const;

export type MappingField = (typeof MAPPING_FIELDS)[number][0];

export interface ImportNote {
	sheet?: string;
	cell?: string;
	question?: string;
	message: string;
}

export interface SheetPreview {
	format: 'rampart' | 'caiq' | 'hecvat' | 'vsaq' | 'sheet' | string;
	name: string;
	description: string;
	sheets: { name: string; hidden: boolean; rows: number; problem?: string; header_row: number }[] | null;
	columns: string[] | null;
	preview: string[][] | null;
	mapping: SheetMapping;
	skipped: { sheet: string; row: number; reason: string }[] | null;
	changes: ImportNote[] | null;
	warnings: string[] | null;
	content: { sections: TemplateSection[] | null } | null;
}

export const FORMAT_LABELS: Record<string, string> = {
	rampart: "Rampart's own export",
	caiq: 'CSA CAIQ',
	hecvat: 'EDUCAUSE HECVAT',
	vsaq: 'Google VSAQ',
	sheet: 'Spreadsheet'
};

/** Previews (or, with `preview` false, imports) a questionnaire spreadsheet with a column mapping. */
export function importSheet<T = SheetPreview>(
	file: File,
	preview: boolean,
	mapping?: Partial<SheetMapping>,
	options: { name?: string; onprogress?: (loaded: number, total: number) => void } = {}
): Promise<T> {
	const form = new FormData();
	if (mapping) form.append('mapping', JSON.stringify(mapping));
	if (options.name) form.append('name', options.name);
	form.append('file', file);
	return upload<T>('/questionnaire-templates/import-sheet', form, { query: { preview }, onprogress: options.onprogress });
}

export function templateSourceUrl(id: string): string {
	return `/api/v1${tpl(id)}/source`;
}

export function importJson(file: File): Promise<TemplateDetail> {
	const form = new FormData();
	form.append('file', file);
	return upload<TemplateDetail>('/questionnaire-templates/import', form);
}
