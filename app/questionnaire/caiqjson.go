package questionnaire

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// The Cloud Security Alliance's CAIQ v4 asks the questions of the Cloud
// Controls Matrix v4: 17 domains (A&A Audit & Assurance ... UEM), each of
// controls such as "A&A-01" with a title and a specification, each asked
// by questions such as "A&A-01.1". CSA marks the questions of CAIQ Lite
// and maps controls to other catalogues (ISO 27001, NIST 800-53 ...).
// There are several JSON renderings of it, so member names are matched
// loosely (see the alias lists) and members nobody reads are reported
// once.
//
// Each domain becomes a section; each question a yes_no_na question keyed
// by its published id, with yes the expected answer. Its frameworks name
// the CCM control ("CCM v4 A&A-01"), "CAIQ Lite" for Lite questions, and
// the mapped references.

// Member names each CAIQ field goes by, folded by fieldName.
var (
	caiqDomains       = []string{"domains", "ccmdomains", "controldomains"}
	caiqControls      = []string{"controls", "ccmcontrols"}
	caiqQuestions     = []string{"questions", "caiqquestions", "items"}
	caiqDomainID      = []string{"id", "domainid", "code", "abbreviation", "prefix", "key", "domaincode"}
	caiqControlID     = []string{"id", "controlid", "code", "key", "ccmid", "ccmcontrolid"}
	caiqQuestionID    = []string{"id", "questionid", "code", "key", "caiqid", "caiqquestionid", "ref"}
	caiqTitle         = []string{"title", "name", "domaintitle", "domainname", "controltitle", "controlname"}
	caiqSpecification = []string{"specification", "controlspecification", "spec", "description", "control"}
	caiqText          = []string{"text", "question", "questiontext", "caiqquestion", "body"}
	caiqLite          = []string{"lite", "caiqlite", "islite", "incaiqlite", "litequestion"}
	caiqMappings      = []string{"mappings", "mapping", "references", "frameworkmappings", "frameworks", "refs", "mappedcontrols", "crossreferences"}
	caiqDescription   = []string{"description", "summary", "about"}
	caiqName          = []string{"name", "title", "questionnaire"}
)

// CCMVersion names the control catalogue CAIQ v4 asks about.
const CCMVersion = "CCM v4"

type caiqBuilder struct {
	imp    *Import
	lines  fileLines
	unused map[string]bool
	keys   map[string]bool
	used   map[string]bool // section keys
	count  int
}

// FromCAIQJSON reads CSA's CAIQ v4 in JSON: domains of controls of
// questions, with CAIQ Lite flags and framework mappings.
func FromCAIQJSON(data []byte) (*Import, error) {
	text, root, err := loadJSON(data)
	if err != nil {
		return nil, err
	}
	b := &caiqBuilder{imp: NewImport("caiq"), lines: literalLines(text), unused: map[string]bool{}, keys: map[string]bool{}, used: map[string]bool{}}
	domains, ok := arrayElems(root)
	if !ok {
		top, isObj := objectFields(root)
		if !isObj {
			return nil, fmt.Errorf("not a CAIQ file: it is neither a list of domains nor an object")
		}
		b.imp.Name = titleText(top.text(caiqName...))
		b.imp.Description = CleanText(top.text(caiqDescription...))
		raw, found := top.take(caiqDomains...)
		if domains, ok = arrayElems(raw); !found || !ok {
			return nil, fmt.Errorf("not a CAIQ file: it has no \"domains\" list")
		}
		top.take("version")
		top.unused("file", b.unused)
	}
	if b.imp.Name == "" {
		b.imp.Name = "CAIQ v4"
	}
	for _, d := range domains {
		if err := b.domain(d); err != nil {
			return nil, err
		}
	}
	if w := unusedWarning(b.unused); w != "" {
		b.imp.Warnings = append(b.imp.Warnings, w)
	}
	if b.count == 0 {
		b.imp.Warnings = append(b.imp.Warnings, "no questions were found in the file")
	}
	if b.imp.Content.Sections == nil {
		b.imp.Content.Sections = []Section{}
	}
	return b.imp, nil
}

func (b *caiqBuilder) skip(line int, reason string) {
	b.imp.Skipped = append(b.imp.Skipped, Skipped{Row: line, Reason: reason})
}

func (b *caiqBuilder) domain(raw json.RawMessage) error {
	f, ok := objectFields(raw)
	if !ok {
		b.skip(0, "a domain that is not an object")
		return nil
	}
	id := strings.TrimSpace(PlainText(f.text(caiqDomainID...)))
	title := titleText(f.text(caiqTitle...))
	desc := CleanText(f.text(caiqDescription...))
	controls, _ := f.take(caiqControls...)
	f.unused("domain", b.unused)
	sec := Section{Title: domainTitle(id, title), Description: desc, Questions: []Question{}}
	list, ok := arrayElems(controls)
	if !ok {
		b.skip(b.lines.of(id), fmt.Sprintf("domain %q has no list of controls", sec.Title))
		return nil
	}
	for _, c := range list {
		if err := b.control(c, &sec); err != nil {
			return err
		}
	}
	if len(sec.Questions) == 0 {
		b.skip(b.lines.of(id), fmt.Sprintf("domain %q has no questions", sec.Title))
		return nil
	}
	key := strings.Trim(nonValue.ReplaceAllString(strings.ToLower(id), "_"), "_")
	if key == "" {
		key = "domain"
	}
	sec.Key = uniqueSectionKey(key, sec.Title, b.used)
	b.imp.Content.Sections = append(b.imp.Content.Sections, sec)
	return nil
}

// domainTitle reads "A&A · Audit & Assurance".
func domainTitle(id, title string) string {
	switch {
	case title == "":
		return orDefault(id, "Domain")
	case id == "" || strings.HasPrefix(title, id):
		return title
	}
	return id + " · " + title
}

func (b *caiqBuilder) control(raw json.RawMessage, sec *Section) error {
	f, ok := objectFields(raw)
	if !ok {
		b.skip(0, fmt.Sprintf("a control of %q that is not an object", sec.Title))
		return nil
	}
	id := strings.TrimSpace(PlainText(f.text(caiqControlID...)))
	title := f.text(caiqTitle...)
	spec := f.text(caiqSpecification...)
	questions, _ := f.take(caiqQuestions...)
	mappings, _ := f.take(caiqMappings...)
	f.unused("control", b.unused)
	list, ok := arrayElems(questions)
	if !ok {
		b.skip(b.lines.of(id), fmt.Sprintf("control %q has no list of questions", id))
		return nil
	}
	ctl := caiqControl{id: id, help: richJoin(strings.TrimSpace(id+" "+title), spec), refs: frameworkRefs(mappings)}
	for i, q := range list {
		if err := b.question(q, i, ctl, sec); err != nil {
			return err
		}
	}
	return nil
}

type caiqControl struct {
	id, help string
	refs     []string // the control's own framework mappings
}

func (b *caiqBuilder) question(raw json.RawMessage, i int, ctl caiqControl, sec *Section) error {
	f, ok := objectFields(raw)
	if !ok {
		b.skip(b.lines.of(ctl.id), fmt.Sprintf("a question of control %q that is not an object", ctl.id))
		return nil
	}
	key := strings.TrimSpace(f.text(caiqQuestionID...))
	text := CleanText(f.text(caiqText...))
	lite := false
	if raw, ok := f.take(caiqLite...); ok {
		lite = flag(raw)
	}
	mappings, _ := f.take(caiqMappings...)
	f.unused("question", b.unused)
	line := b.lines.of(key)
	switch {
	case key == "" && ctl.id != "":
		key = fmt.Sprintf("%s.%d", ctl.id, i+1)
		b.imp.Change(Note{Cell: lineCell(b.lines.of(ctl.id)), Question: key, Message: fmt.Sprintf("question %d of control %s has no id; it was given %s", i+1, ctl.id, key)})
	case key == "":
		b.skip(0, "a question with neither an id nor a control id")
		return nil
	case !ValidKey(key):
		b.skip(line, fmt.Sprintf("id %q cannot be a question key (1-%d letters, digits or punctuation)", shorten(key, 40), MaxKeyLength))
		return nil
	}
	if b.keys[key] {
		b.skip(line, fmt.Sprintf("question %s: the id is used by an earlier question", key))
		return nil
	}
	if text == "" {
		b.skip(line, fmt.Sprintf("question %s: no question text", key))
		return nil
	}
	if b.count++; b.count > MaxImportQuestions {
		return fmt.Errorf("the questionnaire has more than %d questions, the most that can be imported", MaxImportQuestions)
	}
	b.keys[key] = true
	q := Question{Key: key, Text: text, Help: ctl.help, Type: YesNoNA, Required: true, Weight: 3,
		Choices:  []Choice{{Value: "yes", Label: "Yes", Score: score(100)}, {Value: "no", Label: "No", Score: score(0)}, {Value: "na", Label: "Not applicable"}},
		Expected: []string{"yes"}}
	q.Frameworks = b.frameworks(key, line, ctl, lite, frameworkRefs(mappings))
	sec.Questions = append(sec.Questions, q)
	return nil
}

// frameworks lists the CCM control, "CAIQ Lite" for Lite questions (the
// question model has no field for it, and a framework entry can be
// filtered on) and the mapped references, as many as a question may hold.
func (b *caiqBuilder) frameworks(key string, line int, ctl caiqControl, lite bool, own []string) []string {
	var out []string
	add := func(ref string) {
		ref = strings.Join(strings.Fields(PlainText(CleanText(ref))), " ")
		if ref != "" && !slices.Contains(out, ref) {
			out = append(out, ref)
		}
	}
	if ctl.id != "" {
		add(CCMVersion + " " + ctl.id)
	}
	if lite {
		add("CAIQ Lite")
	}
	for _, r := range append(append([]string{}, own...), ctl.refs...) {
		add(r)
	}
	if len(out) > MaxImportedFrameworks {
		b.imp.Change(Note{Cell: lineCell(line), Question: key, Message: fmt.Sprintf("%d framework references; the %d after the first %d were left out", len(out), len(out)-MaxImportedFrameworks, MaxImportedFrameworks)})
		out = out[:MaxImportedFrameworks]
	}
	if out == nil {
		out = []string{}
	}
	return out
}

// Member names of one mapping object: {"framework": ..., "refs": [...]}.
var (
	mappingFramework = []string{"framework", "standard", "catalogue", "catalog", "name", "source"}
	mappingRefs      = []string{"refs", "references", "ref", "reference", "controls", "control", "ids", "id", "controlids", "mapping", "mappings"}
)

// frameworkRefs reads mappings in the shapes renderings use: an object of
// framework → reference(s), a list of "Framework Ref" strings, a list of
// {framework, refs} objects, or one string of references separated by
// semicolons or lines.
func frameworkRefs(raw json.RawMessage) []string {
	if len(raw) == 0 {
		return nil
	}
	if s, ok := textOf(raw); ok {
		return splitRefs(s)
	}
	if ms, ok := objectMembers(raw); ok {
		var out []string
		for _, m := range ms {
			for _, r := range refList(m.Value) {
				out = append(out, strings.TrimSpace(m.Key)+" "+r)
			}
		}
		return out
	}
	elems, _ := arrayElems(raw)
	var out []string
	for _, e := range elems {
		if s, ok := textOf(e); ok {
			out = append(out, splitRefs(s)...)
			continue
		}
		f, ok := objectFields(e)
		if !ok {
			continue
		}
		fw := strings.TrimSpace(f.text(mappingFramework...))
		refs, _ := f.take(mappingRefs...)
		for _, r := range refList(refs) {
			out = append(out, strings.TrimSpace(fw+" "+r))
		}
	}
	return out
}

func refList(raw json.RawMessage) []string {
	if s, ok := textOf(raw); ok {
		return splitRefs(s)
	}
	elems, _ := arrayElems(raw)
	var out []string
	for _, e := range elems {
		if s, ok := textOf(e); ok {
			out = append(out, splitRefs(s)...)
		}
	}
	return out
}

func splitRefs(s string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '\n' || r == '\r' }) {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
