package answermatch

import (
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

func readFixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestFromTextMarkdown(t *testing.T) {
	pairs := FromText(readFixture(t, "fleet-cloud-answers.md"))
	for _, p := range pairs {
		t.Logf("%-8s %-6s %q => %q / %q", p.Ref, p.ID, p.Question, p.Answer, p.Comment)
	}
	want := []struct{ id, question, answer string }{
		{"1.1", "Does your organisation maintain an information security policy", "Yes. Our ISMS policy"},
		{"1.2", "Which audit reports or certifications do you hold?", "SOC 2 Type II; ISO/IEC 27001"},
		{"2.1", "Do you require multi-factor authentication", "Yes, for all users. Hardware keys"},
		{"2.2", "How quickly is access revoked", "24 hours at the latest"},
		{"", "Are admin accounts kept separate", "Yes — administrators"},
		{"3.1", "Is customer data encrypted at rest, including backups?", "Yes, everywhere, including backups and replicas."},
		{"3.2", "What minimum TLS version", "TLS 1.2"},
		{"", "Are security logs collected centrally and retained?", "Yes, Fleet Cloud logs are kept 90 days"},
		{"", "Do you have an incident response plan", "We maintain a documented incident response plan with defined roles.\nCustomers are notified"},
		{"", "What is your recovery time objective?", "4 hours for the core platform"},
		{"", "Do you use subprocessors", "Yes, in a published list we keep current"},
		{"", "How often do you test restoring backups?", "Quarterly restore tests"},
		{"", "What is your favourite colour?", "Blue."},
	}
	if len(pairs) != len(want) {
		t.Fatalf("%d pairs, want %d", len(pairs), len(want))
	}
	for i, w := range want {
		p := pairs[i]
		if p.ID != w.id || !strings.HasPrefix(p.Question, w.question) || !strings.HasPrefix(p.Answer, w.answer) {
			t.Errorf("pair %d = %+v, want %+v", i, p, w)
		}
		if !strings.HasPrefix(p.Ref, "line ") {
			t.Errorf("pair %d ref %q", i, p.Ref)
		}
	}
	if pairs[0].Ref != "line 8" {
		t.Errorf("first pair at %s, want line 8", pairs[0].Ref)
	}
}

func TestFromTextShapes(t *testing.T) {
	cases := []struct {
		name, text string
		want       []Pair
	}{
		{"catalogue IDs without question marks", "A&A-01.1 Audit and assurance policies established and reviewed annually\nYes, see policy AA-POL-3.\n\nA&A-02.1 Independent audits conducted\nYes\n",
			[]Pair{{ID: "A&A-01.1", Question: "Audit and assurance policies established and reviewed annually", Answer: "Yes, see policy AA-POL-3."},
				{ID: "A&A-02.1", Question: "Independent audits conducted", Answer: "Yes"}}},
		{"Q numbers and an answer on the same line", "Q3: Is MFA enforced? Yes, for everyone.\nQ4: Do you pentest? No\n",
			[]Pair{{ID: "Q3", Question: "Is MFA enforced?", Answer: "Yes, for everyone."}, {ID: "Q4", Question: "Do you pentest?", Answer: "No"}}},
		{"a numbered question wrapped over two lines (a PDF)", "7. Do you encrypt customer data at rest in all production\ndatabases and backups?\nYes, with AES-256.\n",
			[]Pair{{ID: "7", Question: "Do you encrypt customer data at rest in all production databases and backups?", Answer: "Yes, with AES-256."}}},
		{"labels with a comment", "Question: Do you run background checks?\nAnswer: Yes\nComments: All staff, before they start.\n",
			[]Pair{{Question: "Do you run background checks?", Answer: "Yes", Comment: "All staff, before they start."}}},
		{"a Word table (tab-separated rows)", "Our answers\n\nID\tQuestion\tResponse\tNotes\nHRS-01\tBackground checks?\tYes\tall staff\nHRS-03\tAwareness training?\tAnnually\t\n",
			[]Pair{{ID: "HRS-01", Question: "Background checks?", Answer: "Yes", Comment: "all staff"}, {ID: "HRS-03", Question: "Awareness training?", Answer: "Annually"}}},
		{"a two-column Word table without headings", "Is data encrypted?\tYes\nIs MFA used?\tNo\n",
			[]Pair{{Question: "Is data encrypted?", Answer: "Yes"}, {Question: "Is MFA used?", Answer: "No"}}},
		{"numbered answers stay answers", "Which frameworks do you follow?\n1. ISO 27001\n2. SOC 2\n",
			[]Pair{{Question: "Which frameworks do you follow?", Answer: "1. ISO 27001\n2. SOC 2"}}},
		{"a question with no answer is skipped", "Is there a DPA?\n\n## Next section\n\nIs data backed up?\nDaily.\n",
			[]Pair{{Question: "Is data backed up?", Answer: "Daily."}}},
		{"hostile characters are dropped", "Is MFA used?\u202e\nYes\u0000 \u001b[31mreally\n",
			[]Pair{{Question: "Is MFA used?", Answer: "Yes [31mreally"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := FromText(c.text)
			if len(got) != len(c.want) {
				t.Fatalf("got %+v, want %+v", got, c.want)
			}
			for i := range got {
				got[i].Ref = ""
				if got[i] != c.want[i] {
					t.Errorf("pair %d = %+v, want %+v", i, got[i], c.want[i])
				}
			}
		})
	}
}

func FuzzFromText(f *testing.F) {
	f.Add("Q1: Is MFA used? Yes\n| a | b |\n|---|---|\n| c | d |\n")
	f.Add("**x** y\n# h?\n1.\tz\nA\tB\tC\n")
	f.Fuzz(func(t *testing.T, s string) {
		for _, p := range FromText(s) {
			if p.Question == "" && p.ID == "" || p.Answer == "" || !utf8.ValidString(p.Question+p.Answer+p.Comment+p.ID) {
				t.Fatalf("empty pair %+v", p)
			}
		}
	})
}
