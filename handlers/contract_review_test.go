package handlers

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"rampart/app/contracts/terms"
	"rampart/models"
	"rampart/models/testdb"
)

// sampleDPA is written for these tests: a DPA whose body promises breach
// notice within 72 hours and whose annex says 48, so both clauses show.
const sampleDPA = "DATA PROCESSING AGREEMENT\n\n" +
	"1. Governing law. This Agreement shall be governed by the laws of the State of New York.\n\n" +
	"2. Breach notification. Processor shall notify Customer of any Personal Data Breach without undue delay and in any event within seventy-two (72) hours after becoming aware of it.\n\n" +
	"3. Audits. Processor shall allow for and contribute to audits, including inspections, conducted by Customer or an auditor mandated by Customer.\n\n" +
	"4. Return and deletion. Within thirty (30) days after termination, Processor shall delete or return all Personal Data.\n\n" +
	"Söme ünïcode ✓ 😀 before the annex.\n\n" +
	"ANNEX 2\nProcessor shall notify Customer of a Personal Data Breach within forty-eight (48) hours.\n"

func TestContractDocumentsTermsAndReview(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		legal := f.as(models.RoleLegal)
		risk := f.as(models.RoleRiskManager)
		auditor := f.as(models.RoleAuditor)
		v := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Processor Inc","category":"saas"}`))
		ct := decode[contractResponse](t, f.call(&legal, "POST", "/api/v1/contracts",
			`{"vendor_id":"`+v.ID+`","title":"Data processing agreement","type":"dpa","status":"legal_review"}`))
		base := "/api/v1/contracts/" + ct.ID
		if ct.ReviewStatus != "none" {
			t.Fatalf("new contract review status %q", ct.ReviewStatus)
		}
		// In legal review without a document: already in the legal queue.
		queue := decode[listResponse[contractResponse]](t, f.call(&legal, "GET", "/api/v1/contracts?awaiting_review=true", ""))
		if queue.Total != 1 || queue.Items[0].VendorName != "Processor Inc" {
			t.Fatalf("queue %+v", queue)
		}

		// Files that are not contracts are refused and nothing is stored.
		for name, data := range map[string][]byte{
			"bad.txt":  []byte("caf\xe9 is not UTF-8"),
			"x.pdf":    []byte("%PDF-1.7 truncated garbage"),
			"zip.docx": []byte("PK\x03\x04 not really a zip"),
			"a.exe":    append([]byte("MZ"), make([]byte, 200)...),
			"page.txt": []byte("<!DOCTYPE html><html><body><script>alert(1)</script>Agreement</body></html>"),
		} {
			r := f.upload(&legal, base+"/documents", name, data)
			if r.Code != 422 || r.problem().Errors[0].Field != "file" {
				t.Errorf("%s: %d %s", name, r.Code, r.Body)
			}
		}
		if docs := decode[map[string][]contractDocumentResponse](t, f.call(&legal, "GET", base+"/documents", "")); len(docs["items"]) != 0 {
			t.Fatalf("refused uploads left documents: %+v", docs)
		}
		if r := f.upload(&auditor, base+"/documents", "dpa.txt", []byte(sampleDPA)); r.Code != 403 {
			t.Fatalf("auditor upload: %d", r.Code)
		}

		r := f.upload(&legal, base+"/documents", "../../etc/dpa.txt", []byte(sampleDPA))
		if r.Code != 201 {
			t.Fatalf("upload: %d %s", r.Code, r.Body)
		}
		up := decode[uploadResponse](t, r)
		if !up.Extracted || up.Document.Number != 1 || up.Document.Filename != "dpa.txt" || up.Document.Format != "txt" {
			t.Fatalf("upload %+v", up)
		}
		doc := decode[contractDocumentText](t, f.call(&auditor, "GET", base+"/documents/"+up.Document.ID, ""))
		if doc.Text != strings.TrimRight(sampleDPA, "\n") {
			t.Fatalf("stored text differs:\n%q", doc.Text)
		}
		if r := f.call(&auditor, "GET", base+"/documents/"+up.Document.ID+"/file", ""); r.Code != 200 || r.Body.String() != sampleDPA ||
			!strings.HasPrefix(r.Header().Get("Content-Disposition"), "attachment") {
			t.Fatalf("download: %d %q", r.Code, r.Header().Get("Content-Disposition"))
		}

		ts := decode[contractTermsResponse](t, f.call(&auditor, "GET", base+"/terms", ""))
		if len(ts.Items) != len(terms.Keys) {
			t.Fatalf("%d terms, want %d", len(ts.Items), len(terms.Keys))
		}
		byKey := map[string]contractTermResponse{}
		text := []rune(doc.Text)
		for _, tm := range ts.Items {
			byKey[tm.Key] = tm
			if tm.ReviewState != "proposed" || tm.Label == "" || *tm.DocumentID != doc.ID {
				t.Errorf("%s: %+v", tm.Key, tm)
			}
			for _, e := range tm.Evidence {
				if e.Start < 0 || e.End > len(text) || string(text[e.Start:e.End]) != e.Quote {
					t.Errorf("%s: evidence %d..%d %q is not the text's", tm.Key, e.Start, e.End, e.Quote)
				}
			}
		}
		bn := byKey["breach_notification"]
		if !bn.Found || bn.Normalized["hours"] != float64(72) || len(bn.Conflicts) != 1 || bn.Conflicts[0].Normalized["hours"] != float64(48) {
			t.Errorf("breach notification %+v", bn)
		}
		if gl := byKey["governing_law"]; !gl.Found || !strings.Contains(gl.Value, "New York") {
			t.Errorf("governing law %+v", gl)
		}
		if sla := byKey["sla_uptime"]; sla.Found {
			t.Errorf("a DPA has no SLA: %+v", sla)
		}

		// The document's words are searchable.
		if l := decode[listResponse[contractResponse]](t, f.call(&legal, "GET", "/api/v1/contracts?q=inspections", "")); l.Total != 1 {
			t.Fatalf("text search found %d", l.Total)
		}

		// Review: risk managers and auditors may not; a stale version is a conflict.
		gl := byKey["governing_law"]
		confirm := fmt.Sprintf(`{"version":%d,"action":"confirm"}`, gl.Version)
		for _, s := range []*session{&risk, &auditor} {
			if r := f.call(s, "PATCH", base+"/terms/governing_law", confirm); r.Code != 403 {
				t.Fatalf("review by %v: %d", s, r.Code)
			}
		}
		if r := f.call(&legal, "PATCH", base+"/terms/governing_law", confirm); r.Code != 200 || decode[contractTermResponse](t, r).ReviewState != "confirmed" {
			t.Fatalf("confirm: %d %s", r.Code, r.Body)
		}
		if r := f.call(&legal, "PATCH", base+"/terms/governing_law", confirm); r.Code != 409 {
			t.Fatalf("stale confirm: %d", r.Code)
		}
		if r := f.call(&legal, "PATCH", base+"/terms/no_such_term", confirm); r.Code != 404 {
			t.Fatalf("unknown term: %d", r.Code)
		}
		for body, field := range map[string]string{
			fmt.Sprintf(`{"version":%d,"action":"correct","found":true,"value":""}`, bn.Version):                    "value",
			fmt.Sprintf(`{"version":%d,"action":"approve"}`, bn.Version):                                            "action",
			fmt.Sprintf(`{"version":%d,"action":"correct","value":"x","normalized":{"hours":{"a":1}}}`, bn.Version): "normalized.hours",
			fmt.Sprintf(`{"version":%d,"action":"correct","value":"%s"}`, bn.Version, strings.Repeat("x", 501)):     "value",
			fmt.Sprintf(`{"version":%d,"action":"correct","value":"48 hours","unknown":1}`, bn.Version):             "unknown",
		} {
			if r := f.call(&legal, "PATCH", base+"/terms/breach_notification", body); r.Code != 422 || r.problem().Errors[0].Field != field {
				t.Errorf("%s: %d %s", body, r.Code, r.Body)
			}
		}
		r = f.call(&legal, "PATCH", base+"/terms/breach_notification",
			fmt.Sprintf(`{"version":%d,"action":"correct","found":true,"value":"48 hours <b>per annex</b>","normalized":{"hours":48},"note":"The annex governs"}`, bn.Version))
		corrected := decode[contractTermResponse](t, r)
		if r.Code != 200 || corrected.ReviewState != "corrected" || corrected.Value != "48 hours <b>per annex</b>" || corrected.Normalized["hours"] != float64(48) ||
			corrected.ExtractedValue != bn.Value {
			t.Fatalf("correct: %d %+v", r.Code, corrected)
		}

		// Without a normalized form, the corrected words are read like the contract's.
		sla := byKey["sla_uptime"]
		r = f.call(&legal, "PATCH", base+"/terms/sla_uptime", fmt.Sprintf(`{"version":%d,"action":"correct","found":true,"value":"99.95%%"}`, sla.Version))
		if r.Code != 200 || decode[contractTermResponse](t, r).Normalized["percent"] != 99.95 {
			t.Fatalf("correct without normalized: %d %s", r.Code, r.Body)
		}

		// Sign-off needs every term reviewed.
		cur := decode[contractResponse](t, f.call(&legal, "GET", base, ""))
		r = f.call(&legal, "POST", base+"/review/sign-off", fmt.Sprintf(`{"version":%d}`, cur.Version))
		if r.Code != 422 || r.problem().Errors[0].Field != "terms" || !strings.Contains(r.problem().Errors[0].Message, "14 terms") {
			t.Fatalf("early sign-off: %d %s", r.Code, r.Body)
		}
		// The refusal names the terms as people read them, and the review
		// says beforehand, in the same words, that sign-off would fail.
		early := r.problem().Errors[0].Message
		if !strings.Contains(early, "Automatic renewal, Renewal term") || strings.Contains(early, "auto_renewal") {
			t.Errorf("early sign-off names keys, not labels: %q", early)
		}
		ts = decode[contractTermsResponse](t, f.call(&legal, "GET", base+"/terms", ""))
		if ts.SignOff.Ready || ts.SignOff.Reason != early || len(ts.SignOff.OpenTerms) != 14 || ts.SignOff.OpenTerms[0].Label == ts.SignOff.OpenTerms[0].Key {
			t.Errorf("sign-off state before the review is done: %+v", ts.SignOff)
		}
		for _, tm := range ts.Items {
			if tm.ReviewState == "proposed" {
				if r := f.call(&legal, "PATCH", base+"/terms/"+tm.Key, fmt.Sprintf(`{"version":%d,"action":"confirm"}`, tm.Version)); r.Code != 200 {
					t.Fatalf("confirm %s: %d", tm.Key, r.Code)
				}
			}
		}
		if st := decode[contractTermsResponse](t, f.call(&legal, "GET", base+"/terms", "")).SignOff; !st.Ready || st.Reason != "" || len(st.OpenTerms) != 0 {
			t.Errorf("sign-off state once every term is reviewed: %+v", st)
		}
		cur = decode[contractResponse](t, f.call(&legal, "GET", base, ""))
		r = f.call(&legal, "POST", base+"/review/sign-off", fmt.Sprintf(`{"version":%d}`, cur.Version))
		signed := decode[contractResponse](t, r)
		if st := decode[contractTermsResponse](t, f.call(&legal, "GET", base+"/terms", "")).SignOff; st.Ready || !strings.Contains(st.Reason, "pending") {
			t.Errorf("sign-off state once signed off: %+v", st)
		}
		if r.Code != 200 || signed.ReviewStatus != "signed_off" || signed.Status != "approved" || signed.SignedOffBy == nil {
			t.Fatalf("sign-off: %d %+v", r.Code, signed)
		}
		if q := decode[listResponse[contractResponse]](t, f.call(&legal, "GET", "/api/v1/contracts?awaiting_review=true", "")); q.Total != 0 {
			t.Fatalf("signed-off contract still queued: %+v", q)
		}
		// Locked: no term changes, no new versions.
		gl = decode[contractTermsResponse](t, f.call(&legal, "GET", base+"/terms", "")).Items[0]
		if r := f.call(&legal, "PATCH", base+"/terms/"+gl.Key, fmt.Sprintf(`{"version":%d,"action":"correct","value":"Delaware"}`, gl.Version)); r.Code != 403 {
			t.Fatalf("locked term changed: %d", r.Code)
		}
		if r := f.upload(&legal, base+"/documents", "v2.txt", []byte(sampleDPA)); r.Code != 422 {
			t.Fatalf("upload after sign-off: %d", r.Code)
		}
		// Reopening needs a reason, which the audit trail keeps.
		if r := f.call(&legal, "POST", base+"/review/reopen", fmt.Sprintf(`{"version":%d,"reason":"  "}`, signed.Version)); r.Code != 422 {
			t.Fatalf("reopen without reason: %d", r.Code)
		}
		r = f.call(&legal, "POST", base+"/review/reopen", fmt.Sprintf(`{"version":%d,"reason":"Vendor sent an amended annex"}`, signed.Version))
		if r.Code != 200 || decode[contractResponse](t, r).ReviewStatus != "pending" {
			t.Fatalf("reopen: %d %s", r.Code, r.Body)
		}
		var reopened models.AuditEvent
		if err := db.Gorm.Where("action = ? AND object_id = ?", "contract.review.reopen", ct.ID).Take(&reopened).Error; err != nil ||
			!strings.Contains(*reopened.AfterData, "amended annex") {
			t.Fatalf("reopen audit: %v %+v", err, reopened)
		}
		var termEvents int64
		db.Gorm.Model(&models.AuditEvent{}).Where("action IN ? AND object_id = ?", []string{"contract.term.confirm", "contract.term.correct"}, ct.ID).Count(&termEvents)
		if termEvents != int64(len(terms.Keys)) {
			t.Fatalf("%d term review events, want %d", termEvents, len(terms.Keys))
		}

		// A second version that says the same keeps the reviews; it is version 2.
		r = f.upload(&legal, base+"/documents", "dpa-v2.txt", []byte(sampleDPA))
		if r.Code != 201 || decode[uploadResponse](t, r).Document.Number != 2 || len(decode[uploadResponse](t, r).Changed) != 0 {
			t.Fatalf("second version: %d %s", r.Code, r.Body)
		}
		for _, tm := range decode[contractTermsResponse](t, f.call(&legal, "GET", base+"/terms", "")).Items {
			if tm.ReviewState == "proposed" {
				t.Errorf("%s lost its review on an identical version", tm.Key)
			}
		}

		// A finding from a term, once.
		r = f.call(&legal, "POST", base+"/terms/audit_rights/finding", `{"severity":"high","description":"Audit right limited to reports"}`)
		if r.Code != 201 {
			t.Fatalf("raise finding: %d %s", r.Code, r.Body)
		}
		fd := decode[findingResponse](t, r)
		if fd.Source != "contract" || fd.VendorID != v.ID || fd.Severity != "high" || !strings.Contains(fd.Title, "Audit rights") {
			t.Fatalf("finding %+v", fd)
		}
		if r := f.call(&legal, "POST", base+"/terms/audit_rights/finding", `{}`); r.Code != 422 {
			t.Fatalf("second finding: %d", r.Code)
		}

		// Comments keep hostile text as text.
		if r := f.call(&legal, "POST", base+"/comments", `{"body":"<script>alert(1)</script> ok?"}`); r.Code != 201 {
			t.Fatalf("comment: %d", r.Code)
		}
		if r := f.call(&legal, "POST", base+"/comments", `{"body":"   "}`); r.Code != 422 {
			t.Fatalf("blank comment: %d", r.Code)
		}
		cs := decode[map[string][]contractCommentResponse](t, f.call(&auditor, "GET", base+"/comments", ""))
		if len(cs["items"]) != 1 || cs["items"][0].Body != "<script>alert(1)</script> ok?" {
			t.Fatalf("comments %+v", cs)
		}
		if r := f.call(&legal, "GET", "/api/v1/contracts/nope/terms", ""); r.Code != 404 {
			t.Fatalf("missing contract: %d", r.Code)
		}
	})
}

func TestPlaybookChecksContracts(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *models.DB) {
		f := newFixture(t, db)
		legal := f.as(models.RoleLegal)
		risk := f.as(models.RoleRiskManager)
		auditor := f.as(models.RoleAuditor)
		v := decode[vendorResponse](t, f.call(&risk, "POST", "/api/v1/vendors", `{"name":"Processor Inc","category":"saas"}`))
		ct := decode[contractResponse](t, f.call(&legal, "POST", "/api/v1/contracts", `{"vendor_id":"`+v.ID+`","title":"DPA","type":"dpa"}`))
		base := "/api/v1/contracts/" + ct.ID
		if r := f.upload(&legal, base+"/documents", "dpa.txt", []byte(sampleDPA)); r.Code != 201 {
			t.Fatalf("upload: %d %s", r.Code, r.Body)
		}

		// The built-in playbook is in force until one is saved.
		pb := decode[playbookResponse](t, f.call(&auditor, "GET", "/api/v1/playbook", ""))
		if pb.Version != 0 || !strings.Contains(string(pb.Playbook), `"breach_notification"`) {
			t.Fatalf("default playbook %d %s", pb.Version, pb.Playbook)
		}
		ts := decode[contractTermsResponse](t, f.call(&legal, "GET", base+"/terms", ""))
		checks := map[string]string{}
		for _, tm := range ts.Items {
			if tm.Check != nil {
				checks[tm.Key] = tm.Check.Status
			}
		}
		// 72 hours meets "72 hours or less"; deletion within 30 days meets 30; no subprocessor clause is missing.
		if checks["breach_notification"] != "meets" || checks["data_return_deletion"] != "meets" || checks["subprocessor_changes"] != "missing" {
			t.Fatalf("checks %v", checks)
		}
		list := decode[listResponse[contractResponse]](t, f.call(&legal, "GET", "/api/v1/contracts", ""))
		if list.Items[0].Playbook == nil || list.Items[0].Playbook.Meets != ts.Summary.Meets || list.Items[0].Playbook.Missing != ts.Summary.Missing || ts.Summary.Missing == 0 {
			t.Fatalf("list summary %+v vs %+v", list.Items[0].Playbook, ts.Summary)
		}

		// An MSA is judged with the DPA under it: its breach notice is the DPA's.
		msa := decode[contractResponse](t, f.call(&legal, "POST", "/api/v1/contracts", `{"vendor_id":"`+v.ID+`","title":"MSA","type":"msa"}`))
		if r := f.upload(&legal, "/api/v1/contracts/"+msa.ID+"/documents", "msa.txt", []byte("MASTER SERVICES AGREEMENT\n\nThis Agreement shall be governed by the laws of Ireland.\n")); r.Code != 201 {
			t.Fatalf("msa upload: %d", r.Code)
		}
		cur := decode[contractResponse](t, f.call(&legal, "GET", base, ""))
		if r := f.call(&legal, "PATCH", base, fmt.Sprintf(`{"version":%d,"parent_id":"%s"}`, cur.Version, msa.ID)); r.Code != 200 {
			t.Fatalf("set parent: %d %s", r.Code, r.Body)
		}
		for _, tm := range decode[contractTermsResponse](t, f.call(&legal, "GET", "/api/v1/contracts/"+msa.ID+"/terms", "")).Items {
			if tm.Key == "breach_notification" && (tm.Found || tm.Check == nil || tm.Check.Status != "meets" || !strings.Contains(tm.Check.Actual, "(in DPA)")) {
				t.Fatalf("msa judged without its DPA: %+v %+v", tm, tm.Check)
			}
		}

		// The vendor's printable report carries the key terms and their verdicts.
		rep := decode[vendorReport](t, f.call(&risk, "GET", "/api/v1/vendors/"+v.ID+"/report", ""))
		printed := map[string]reportTerm{}
		for _, c := range rep.Contracts {
			if c.ID == ct.ID {
				for _, tm := range c.Terms {
					printed[tm.Key] = tm
				}
			}
		}
		if bn := printed["breach_notification"]; !bn.Found || bn.Check != "meets" || bn.Label != "Breach notification" {
			t.Fatalf("report terms %+v", printed)
		}

		// Tighten breach notification to 48 hours: the same contract now deviates.
		var doc map[string]any
		if err := json.Unmarshal(pb.Playbook, &doc); err != nil {
			t.Fatal(err)
		}
		rules := doc["rules"].([]any)
		for _, r := range rules {
			if r.(map[string]any)["term"] == "breach_notification" {
				r.(map[string]any)["duration"] = map[string]any{"hours": 48}
			}
		}
		body, _ := json.Marshal(map[string]any{"version": 0, "playbook": doc, "note": "Tighter breach notice"})
		for _, s := range []*session{&risk, &auditor} {
			if r := f.call(s, "PUT", "/api/v1/playbook", string(body)); r.Code != 403 {
				t.Fatalf("playbook saved by another role: %d", r.Code)
			}
		}
		r := f.call(&legal, "PUT", "/api/v1/playbook", string(body))
		if r.Code != 200 || decode[playbookResponse](t, r).Version != 1 {
			t.Fatalf("save: %d %s", r.Code, r.Body)
		}
		if r := f.call(&legal, "PUT", "/api/v1/playbook", string(body)); r.Code != 409 {
			t.Fatalf("stale save: %d", r.Code)
		}
		for _, tm := range decode[contractTermsResponse](t, f.call(&legal, "GET", base+"/terms", "")).Items {
			if tm.Key == "breach_notification" && (tm.Check == nil || tm.Check.Status != "deviates" || tm.Check.Severity != "critical") {
				t.Fatalf("after tightening: %+v", tm.Check)
			}
		}

		// Invalid rules are refused field by field, and nothing changes.
		rules[0].(map[string]any)["severity"] = "catastrophic"
		bad, _ := json.Marshal(map[string]any{"version": 1, "playbook": doc})
		r = f.call(&legal, "PUT", "/api/v1/playbook", string(bad))
		if r.Code != 422 || !strings.HasPrefix(r.problem().Errors[0].Field, "playbook.rules[0]") {
			t.Fatalf("invalid playbook: %d %s", r.Code, r.Body)
		}
		if r := f.call(&legal, "PUT", "/api/v1/playbook", `{"version":1,"playbook":{"version":1,"rules":[],"extra":true}}`); r.Code != 422 {
			t.Fatalf("unknown playbook field: %d %s", r.Code, r.Body)
		}
		if pb := decode[playbookResponse](t, f.call(&legal, "GET", "/api/v1/playbook", "")); pb.Version != 1 {
			t.Fatalf("playbook version after refused saves: %d", pb.Version)
		}
	})
}
