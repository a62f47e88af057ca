package questionnaire

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Google's VSAQ (github.com/google/vsaq) ships questionnaires as a tree of
// items: blocks holding questions (yesno, radiogroup, checkgroup, check,
// line, box, upload), static text (info, spacer) and tips, which VSAQ
// shows when an answer is poor ("warn": "yes" with a severity). Any item
// may carry "cond", a boolean expression over other items' answers.
//
// The import keeps VSAQ's ids as question keys. Each block directly under
// the root block becomes a section; deeper blocks are flattened in order,
// their titles leading each of their questions' help. Tips become help of
// the question their condition names and set its scores: a choice that
// raises a warning scores 0, one that raises advice 50, the rest 100.

// maxBlockDepth bounds block nesting; VSAQ's own files nest four deep.
const maxBlockDepth = 16

// vsaqItem is one VSAQ item as published.
type vsaqItem struct {
	Type, ID, Text, Cond         string
	Yes, No                      string
	Warn, Severity, Why, Name    string
	Auth, ClassName, Placeholder string
	DefaultChoice                bool
	Choices, ChoicesConds        []member
	Items                        []*vsaqItem
	Line                         int
	// malformed is set when text, choices or items are not in VSAQ's form.
	malformed bool
}

var vsaqKnown = map[string]bool{
	"type": true, "id": true, "text": true, "cond": true, "items": true, "choices": true, "choicesConds": true,
	"defaultChoice": true, "yes": true, "no": true, "warn": true, "severity": true, "why": true, "name": true,
	"todo": true, "customTitle": true, "auth": true, "className": true, "placeholder": true, "inputType": true,
	"inputPattern": true, "inputTitle": true, "required": true, "maxlength": true, "default": true,
}

// parseVSAQItem reads one item and, for blocks, its items.
func (b *vsaqBuilder) parseItem(raw json.RawMessage, depth int) (*vsaqItem, error) {
	ms, ok := objectMembers(raw)
	if !ok {
		return nil, nil
	}
	it := &vsaqItem{}
	for _, m := range ms {
		s, isText := textOf(m.Value)
		switch m.Key {
		case "type":
			it.Type = strings.ToLower(strings.TrimSpace(s))
		case "id":
			it.ID = strings.TrimSpace(s)
		case "text":
			it.Text, it.malformed = s, it.malformed || !isText
		case "cond":
			it.Cond = strings.TrimSpace(s)
		case "yes":
			it.Yes = s
		case "no":
			it.No = s
		case "warn":
			it.Warn = s
		case "severity":
			it.Severity = strings.ToLower(strings.TrimSpace(s))
		case "why":
			it.Why = s
		case "name":
			it.Name = s
		case "auth":
			it.Auth = s
		case "className":
			it.ClassName = s
		case "placeholder":
			it.Placeholder = s
		case "defaultChoice":
			it.DefaultChoice = flag(m.Value)
		case "choices", "choicesConds":
			list, ok := b.pairs(m.Value)
			it.malformed = it.malformed || !ok
			if m.Key == "choices" {
				it.Choices = list
			} else {
				it.ChoicesConds = list
			}
		case "items":
			elems, ok := arrayElems(m.Value)
			if !ok {
				it.malformed = true
				continue
			}
			if depth >= maxBlockDepth {
				return nil, fmt.Errorf("blocks nest deeper than %d levels (block %q); VSAQ's own questionnaires nest four deep", maxBlockDepth, it.ID+it.Text)
			}
			for _, e := range elems {
				child, err := b.parseItem(e, depth+1)
				if err != nil {
					return nil, err
				}
				if child == nil {
					b.imp.Skipped = append(b.imp.Skipped, Skipped{Reason: "an item that is not an object"})
					continue
				}
				it.Items = append(it.Items, child)
			}
		default:
			if !vsaqKnown[m.Key] {
				b.unused["item."+m.Key] = true
			}
		}
	}
	it.Line = b.lines.member("id", it.ID)
	if it.Line == 0 && len(it.Choices) > 0 {
		it.Line = b.lines.name(it.Choices[0].Key)
	}
	return it, nil
}

// pairs reads VSAQ's list of one-member objects ({"id": "text"}).
func (b *vsaqBuilder) pairs(raw json.RawMessage) ([]member, bool) {
	elems, ok := arrayElems(raw)
	if !ok {
		return nil, false
	}
	var out []member
	for _, e := range elems {
		ms, ok := objectMembers(e)
		if !ok {
			return out, false
		}
		out = append(out, ms...)
	}
	return out, true
}

// vsaqRef is what a VSAQ id names: a question, or one choice of it.
type vsaqRef struct {
	Question string
	Value    string // the choice, or "" for the question itself
	Kind     string // the VSAQ item type of the question
}

// vsaqQuestion is a question under construction with what the later
// passes need.
type vsaqQuestion struct {
	q       Question
	kind    string
	line    int
	conds   []string // enclosing blocks' conditions, outermost first, then its own
	help    []string
	marks   map[string]int // choice value -> markBad or markAdvice
	noneKey string         // the "None of the above" choice VSAQ appends, if any
	// choiceIDs maps VSAQ's choice ids to the choice values.
	choiceIDs map[string]string
	index     int
	section   int
}

const (
	markAdvice = 1
	markBad    = 2
)

type vsaqTip struct {
	item *vsaqItem
	prev *vsaqQuestion // the question before the tip, in file order
}

type vsaqBuilder struct {
	imp       *Import
	lines     fileLines
	unused    map[string]bool
	sections  []Section
	questions []*vsaqQuestion
	byKey     map[string]*vsaqQuestion
	refs      map[string]vsaqRef
	tips      []vsaqTip
	info      []string // info text waiting for the next question
	generated int
}

// FromVSAQ reads a Google VSAQ questionnaire file as published, with its
// // comments and "a" + "b" string concatenations.
func FromVSAQ(data []byte) (*Import, error) {
	text, root, err := loadJSON(data)
	if err != nil {
		return nil, err
	}
	b := &vsaqBuilder{imp: NewImport("vsaq"), lines: literalLines(text), unused: map[string]bool{},
		byKey: map[string]*vsaqQuestion{}, refs: map[string]vsaqRef{}}
	top, ok := objectFields(root)
	if !ok {
		return nil, fmt.Errorf("not a VSAQ questionnaire: the file is not a JSON object")
	}
	list, ok := top.take("questionnaire")
	elems, isList := arrayElems(list)
	if !ok || !isList {
		return nil, fmt.Errorf("not a VSAQ questionnaire: it has no \"questionnaire\" list of items")
	}
	top.take("version")
	top.unused("file", b.unused)
	var roots []*vsaqItem
	for _, e := range elems {
		it, err := b.parseItem(e, 0)
		if err != nil {
			return nil, err
		}
		if it != nil {
			roots = append(roots, it)
		}
	}
	for _, r := range roots {
		b.root(r)
	}
	if len(b.questions) > MaxImportQuestions {
		return nil, fmt.Errorf("the questionnaire has %d questions; at most %d can be imported", len(b.questions), MaxImportQuestions)
	}
	b.applyTips()
	b.applyConditions()
	b.finish()
	return b.imp, nil
}

// root reads a top-level item: VSAQ requires one block holding the
// questionnaire, whose blocks are its sections.
func (b *vsaqBuilder) root(r *vsaqItem) {
	if r.Type != "block" {
		b.section(&vsaqItem{Type: "block", Text: "General", Items: []*vsaqItem{r}}, nil)
		return
	}
	if b.imp.Name == "" {
		b.imp.Name = titleText(r.Text)
	}
	var loose []*vsaqItem
	flush := func() {
		if len(loose) > 0 {
			b.section(&vsaqItem{Type: "block", Text: r.Text, Items: loose}, nil)
			loose = nil
		}
	}
	for _, it := range r.Items {
		if it.Type == "block" {
			flush()
			b.section(it, b.conds(nil, r))
			continue
		}
		loose = append(loose, it)
	}
	flush()
}

func (b *vsaqBuilder) conds(outer []string, block *vsaqItem) []string {
	if block.Cond == "" {
		return outer
	}
	return append(append([]string{}, outer...), block.Cond)
}

// section turns one block into a section, unless nothing in it is asked.
func (b *vsaqBuilder) section(block *vsaqItem, outer []string) {
	if reason := b.hidden(block); reason != "" {
		b.skip(block, reason)
		return
	}
	title := titleText(block.Text)
	if title == "" {
		title = fmt.Sprintf("Part %d", len(b.sections)+1)
	}
	b.sections = append(b.sections, Section{Key: block.ID, Title: title, Questions: []Question{}})
	b.info = nil
	b.items(block.Items, b.conds(outer, block), nil)
	b.leftoverInfo()
}

// hidden says why VSAQ never shows an item to the vendor, or "".
func (b *vsaqBuilder) hidden(it *vsaqItem) string {
	switch {
	case it.Cond == "false":
		return "never shown (its condition is \"false\")"
	case it.Auth == "admin":
		return "shown only to VSAQ administrators (auth \"admin\")"
	case it.Auth == "readonly":
		return "read-only in VSAQ (auth \"readonly\"): the vendor cannot answer it"
	case it.ClassName == "vsaq-invisible" || it.ClassName == "vsaq_invisible":
		return "never shown (class vsaq-invisible)"
	}
	return ""
}

func (b *vsaqBuilder) skip(it *vsaqItem, reason string) {
	what := it.Type
	if it.ID != "" {
		what += " " + it.ID
	}
	b.imp.Skipped = append(b.imp.Skipped, Skipped{Row: it.Line, Reason: what + ": " + reason})
}

// items reads a block's items in order; path holds the titles of the
// nested blocks they are in.
func (b *vsaqBuilder) items(items []*vsaqItem, conds, path []string) {
	for i := 0; i < len(items); i++ {
		it := items[i]
		if reason := b.hidden(it); reason != "" {
			b.skip(it, reason)
			continue
		}
		switch it.Type {
		case "block":
			b.items(it.Items, b.conds(conds, it), append(append([]string{}, path...), titleText(it.Text)))
			b.leftoverInfo()
		case "info":
			b.info = append(b.info, it.Text)
		case "spacer":
		case "tip":
			b.tips = append(b.tips, vsaqTip{item: it, prev: b.last()})
		case "radio":
			// VSAQ groups the radio buttons of one block into one answer.
			j := i
			for j+1 < len(items) && items[j+1].Type == "radio" {
				j++
			}
			b.radios(items[i:j+1], conds, path)
			i = j
		case "yesno", "check", "radiogroup", "checkgroup", "line", "box", "upload":
			b.question(it, conds, path)
		default:
			b.skip(it, fmt.Sprintf("item type %q is not one VSAQ defines", it.Type))
		}
	}
}

func (b *vsaqBuilder) last() *vsaqQuestion {
	if len(b.questions) == 0 {
		return nil
	}
	return b.questions[len(b.questions)-1]
}

// leftoverInfo records info text that no question followed.
func (b *vsaqBuilder) leftoverInfo() {
	for _, t := range b.info {
		b.imp.Skipped = append(b.imp.Skipped, Skipped{Reason: "info text with no question after it in its block: " + shorten(titleText(t), 80)})
	}
	b.info = nil
}

func shorten(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// radios turns a run of loose radio items into one single-choice question.
func (b *vsaqBuilder) radios(run []*vsaqItem, conds, path []string) {
	g := &vsaqItem{Type: "radiogroup", Line: run[0].Line}
	for _, r := range run {
		g.Choices = append(g.Choices, member{Key: r.ID, Value: mustJSON(r.Text)})
		if r.Cond != "" {
			g.ChoicesConds = append(g.ChoicesConds, member{Key: r.ID, Value: mustJSON(r.Cond)})
		}
	}
	b.question(g, conds, path)
}

var vsaqTypes = map[string]string{
	"yesno": YesNoNA, "check": YesNoNA, "radiogroup": SingleChoice, "checkgroup": MultipleChoice,
	"line": ShortText, "box": LongText, "upload": File,
}

// question adds one answerable item.
func (b *vsaqBuilder) question(it *vsaqItem, conds, path []string) {
	vq := &vsaqQuestion{kind: it.Type, line: it.Line, marks: map[string]int{}, choiceIDs: map[string]string{}, index: len(b.questions), section: len(b.sections) - 1}
	vq.q = Question{Type: vsaqTypes[it.Type], Weight: 3, Choices: []Choice{}, Expected: []string{}, Frameworks: []string{}}
	if it.Cond != "" {
		conds = append(append([]string{}, conds...), it.Cond)
	}
	vq.conds = conds
	if it.malformed {
		b.skip(it, "its text or choices are not in VSAQ's form")
		return
	}
	info := b.info
	b.info = nil
	text := CleanText(it.Text)
	if text == "" && len(info) > 0 {
		// VSAQ often asks with an info item and leaves the group untitled.
		text, info = CleanText(info[len(info)-1]), info[:len(info)-1]
	}
	if text == "" {
		b.skip(it, "no question text")
		return
	}
	vq.q.Text = text
	if len(path) > 0 {
		vq.help = append(vq.help, strings.Join(path, " › "))
	}
	vq.help = append(vq.help, info...)
	if it.Placeholder != "" {
		vq.help = append(vq.help, "For example: "+it.Placeholder)
	}
	if !b.choices(vq, it) {
		return
	}
	if !b.key(vq, it) {
		return
	}
	b.questions = append(b.questions, vq)
	b.byKey[vq.q.Key] = vq
}

// key gives the question VSAQ's id, or for an untitled group one made
// from its choices' ids.
func (b *vsaqBuilder) key(vq *vsaqQuestion, it *vsaqItem) bool {
	key := it.ID
	if key != "" && !ValidKey(key) {
		b.skip(it, fmt.Sprintf("id %q cannot be a question key (1-%d letters, digits or punctuation)", key, MaxKeyLength))
		return false
	}
	if key == "" {
		key = b.groupKey(it)
		b.imp.Change(Note{Cell: lineCell(vq.line), Question: key, Message: "the item has no id in the file; the key was made from its choices' ids"})
	}
	if _, dup := b.refs[key]; dup {
		b.skip(it, fmt.Sprintf("id %q is used by an earlier item", key))
		return false
	}
	vq.q.Key = key
	b.refs[key] = vsaqRef{Question: key, Kind: vq.kind}
	for _, c := range it.Choices {
		if _, dup := b.refs[c.Key]; !dup && vq.choiceIDs[c.Key] != "" {
			b.refs[c.Key] = vsaqRef{Question: key, Value: vq.choiceIDs[c.Key], Kind: vq.kind}
		}
	}
	return true
}

// groupKey makes a key for a group published without an id: the common
// prefix of its choices' ids (VSAQ names choices question_answer), else a
// counter.
func (b *vsaqBuilder) groupKey(it *vsaqItem) string {
	prefix := ""
	for i, c := range it.Choices {
		if i == 0 {
			prefix = c.Key
			continue
		}
		for !strings.HasPrefix(c.Key, prefix) {
			prefix = prefix[:len(prefix)-1]
		}
	}
	if cut := strings.LastIndexAny(prefix, "_-."); len(it.Choices) > 1 && cut >= 0 {
		prefix = prefix[:cut]
	} else if len(it.Choices) > 1 {
		prefix = ""
	}
	if len(prefix) >= 3 && ValidKey(prefix) {
		if _, used := b.refs[prefix]; !used {
			return prefix
		}
	}
	for {
		b.generated++
		k := fmt.Sprintf("vsaq-%d", b.generated)
		if _, used := b.refs[k]; !used {
			return k
		}
	}
}
