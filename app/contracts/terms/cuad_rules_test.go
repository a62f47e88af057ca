package terms

import (
	"encoding/json"
	"strings"
	"testing"
)

// ruleCase is a short sentence in the style of wording seen on real
// contracts (CUAD), written for this test, and what one key must read
// from it: the normalized value as JSON, or "" for not found.
type ruleCase struct {
	key, text, want string
}

func checkRuleCases(t *testing.T, cases []ruleCase) {
	t.Helper()
	for _, c := range cases {
		tm := find(t, Extract(c.text, nil), c.key)
		got := ""
		if tm.Found {
			b, _ := json.Marshal(tm.Normalized)
			got = string(b)
			if len(tm.Evidence) == 0 || tm.Evidence[0].Quote == "" {
				t.Errorf("%q: %s found without a quote", c.text, c.key)
			}
		}
		if got != c.want {
			t.Errorf("%q: %s = %s, want %s", c.text, c.key, got, c.want)
		}
	}
}

func TestGoverningLawRealWording(t *testing.T) {
	checkRuleCases(t, []ruleCase{
		// back-references to a jurisdiction named earlier
		{"governing_law", "This Agreement is signed in the State of Utah and is governed by and construed in accordance with the laws thereof.", `{"jurisdiction":"Utah"}`},
		{"governing_law", "This Agreement is made in the State of Ohio and shall be interpreted under the laws of that State.", `{"jurisdiction":"Ohio"}`},
		// words between "laws" and "of"
		{"governing_law", "This Agreement shall be governed by the laws and decisions of the State of Oregon.", `{"jurisdiction":"Oregon"}`},
		{"governing_law", "This Agreement is governed by the laws, other than choice of law rules, of the State of Idaho.", `{"jurisdiction":"Idaho"}`},
		// other verbs
		{"governing_law", "This contract is controlled by the laws of the State of Kansas.", `{"jurisdiction":"Kansas"}`},
		{"governing_law", "Any dispute shall be determined in accordance with the laws of the State of Maine.", `{"jurisdiction":"Maine"}`},
		{"governing_law", "The law of the Federal Republic of Germany applies to this Agreement.", `{"jurisdiction":"Germany"}`},
		{"governing_law", "Any matter under this Agreement is subject to the application of the laws of Alberta.", `{"jurisdiction":"Alberta"}`},
		// jurisdictions
		{"governing_law", "This Agreement shall be governed by the laws of the People's Republic of China.", `{"jurisdiction":"China"}`},
		{"governing_law", "This Agreement is governed by PRC laws.", `{"jurisdiction":"China"}`},
		{"governing_law", "This Agreement is governed by the laws of the Hong Kong Special Administrative Region.", `{"jurisdiction":"Hong Kong"}`},
		{"governing_law", "The laws of Taiwan govern this Agreement.", `{"jurisdiction":"Taiwan"}`},
		{"governing_law", "This Agreement is governed by the laws of the Province of Nova Scotia and the federal laws of Canada applicable therein.", `{"jurisdiction":"Nova Scotia"}`},
		// federal law beside a state's: the state is the choice
		{"governing_law", "This Agreement is governed by the federal law of the United States and the laws of the State of Iowa.", `{"jurisdiction":"Iowa"}`},
		{"governing_law", "This Agreement is governed by the laws of the United States and the State of Montana.", `{"jurisdiction":"Montana"}`},
		// look-alikes: bodies of law on one subject, incorporation, opinions, export rules
		{"governing_law", "Inventorship shall be determined in accordance with the patent laws of the United States.", ""},
		{"governing_law", "Acme Corp., a company organized under the laws of Delaware, may assign this Agreement.", ""},
		{"governing_law", "The opinion of counsel shall be limited to matters governed by the laws of Vermont.", ""},
		{"governing_law", "Deliveries abroad are subject to United States laws governing the export of technology.", ""},
		{"governing_law", "The buyer shall conduct the offering in accordance with the plan and the applicable laws of Kentucky.", ""},
	})
}

// A sentence cut by a page break (blank lines, the rest starting in lower
// case) is still one sentence; a new paragraph after a full stop is not.
func TestSentenceAcrossPageBreak(t *testing.T) {
	checkRuleCases(t, []ruleCase{
		{"governing_law", "9.2 Governing Law.\n\nThis Agreement shall be construed in accordance with, and governed by, the\n\n\n\nlaws of the State of Utah, without regard to its conflict rules.", `{"jurisdiction":"Utah"}`},
		{"renewal_term", "This Agreement renews automatically for successive periods of\n\n\ntwelve (12) months each.", `{"months":12}`},
	})
	text := "The Supplier keeps the records.\n\nlater the Buyer may ask for them."
	if v := newView(text); len(v.sents) != 2 {
		t.Errorf("%q: %d sentences, want 2", text, len(v.sents))
	}
}

func TestRenewalRealWording(t *testing.T) {
	checkRuleCases(t, []ruleCase{
		// evergreen: the contract runs on until someone ends it
		{"auto_renewal", "After the first year this Agreement shall continue thereafter until terminated by either party on 30 days' notice.", `{"present":true}`},
		{"auto_renewal", "The contract starts on signature and remains in force indefinitely after that until cancelled by either side.", `{"present":true}`},
		{"auto_renewal", "After the Initial Term, this Agreement continues on a month to month basis until either party ends it.", `{"present":true}`},
		{"auto_renewal", "Each order continues on a rolling basis until terminated.", `{"present":true}`},
		{"auto_renewal", "Thereafter this Agreement shall continue until terminated by either party.", `{"present":true}`},
		// renewal as a noun, and "extend automatically"
		{"auto_renewal", "The Term is two years with automatic annual renewals.", `{"present":true}`},
		{"auto_renewal", "The Term is three years with an automatic 1 year term extension unless a party objects.", `{"present":true}`},
		{"auto_renewal", "This Agreement will extend automatically for monthly periods.", `{"present":true}`},
		// a deadline moved by a delay is no renewal
		{"auto_renewal", "Where a dispute delays an action, the period for it shall automatically be extended by the number of days the dispute lasted.", ""},
		{"auto_renewal", "A party's obligations affected by force majeure shall be automatically extended for a period equal to the delay.", ""},
	})
}

func TestNonRenewalNoticeRealWording(t *testing.T) {
	checkRuleCases(t, []ruleCase{
		{"non_renewal_notice", "This Agreement renews automatically for successive terms of one year unless written notice is given by either party no later than thirty (30) days in advance of the expiration of the current term.", `{"days":30}`},
		{"non_renewal_notice", "Thereafter this Agreement shall continue until terminated by either party upon sixty (60) days' written notice.", `{"days":60}`},
		{"non_renewal_notice", "This Agreement renews automatically each year unless either party gives a forty-five day notice of termination.", `{"days":45}`},
		{"non_renewal_notice", "This Agreement renews automatically for one further year unless a party notifies the other of its intention not to renew. Such notice must be given ninety (90) days prior to expiry.", `{"days":90}`},
		// an insurance policy's non-renewal, and a proposal for renewal, are other things
		{"non_renewal_notice", "Each policy shall require thirty (30) days' prior notice of cancellation or non-renewal of the policy.", ""},
		{"non_renewal_notice", "At least twelve (12) months prior to the expiration of the Term, the supplier shall submit a written proposal for renewal.", ""},
	})
}

func TestInsuranceRealWording(t *testing.T) {
	checkRuleCases(t, []ruleCase{
		{"insurance", "The Supplier shall, at its own cost, procure and keep in force product liability insurance with reputable insurers.", `{"present":true}`},
		{"insurance", "The Contractor agrees to maintain general liability insurance of not less than $2,000,000 per occurrence.", `{"amount":2000000,"currency":"USD"}`},
		// insurance named without a duty to carry it
		{"insurance", "The price includes freight, packing and insurance costs on shipments.", ""},
		{"insurance", "The consultant is responsible for income tax and unemployment insurance contributions.", ""},
		{"insurance", "Each party's liability shall not exceed the insurance proceeds actually paid under its policies.", ""},
		{"insurance", "The affiliates maintain insurance of the types they believe to be adequate.", ""},
	})
}

func TestTerminationForConvenienceRealWording(t *testing.T) {
	checkRuleCases(t, []ruleCase{
		// a right to end the contract on notice, no reason asked, and who holds it
		{"termination_for_convenience", "Either party may terminate this agreement by providing ninety days' written notice.", `{"party":"either","present":true}`},
		{"termination_for_convenience", "The Licensee can terminate Agreement with at least one hundred eighty (180) days written notice.", `{"party":"customer","present":true}`},
		{"termination_for_convenience", "The Supplier shall have the right to terminate this Agreement at any time upon thirty (30) days' written notice to the Buyer.", `{"party":"vendor","present":true}`},
		{"termination_for_convenience", "This Agreement may be terminated by the Customer upon sixty (60) days' prior written notice.", `{"party":"customer","present":true}`},
		{"termination_for_convenience", "Either party may, at its option, terminate this Agreement without cause, effective at any time after the first year, upon ninety (90) days' notice.", `{"party":"either","present":true}`},
		{"termination_for_convenience", "This Agreement shall terminate (a) at the option of any party, upon 90 days' advance written notice to the other parties.", `{"party":"either","present":true}`},
		{"termination_for_convenience", "This Agreement may be terminated by (a) the written agreement of the Parties or (b) by either Party upon 5 days' written notice to the other Party.", `{"party":"either","present":true}`},
		{"termination_for_convenience", "Either party may terminate this Agreement prior to expiration of the Term: (i) upon thirty (30) days prior written notice, or (ii) immediately if the other party becomes insolvent.", `{"party":"either","present":true}`},
		// a party the rules cannot place is left open, not guessed as "either"
		{"termination_for_convenience", "Northwind may terminate this Agreement upon ninety (90) days' written notice to Southgate.", `{"present":true}`},
		{"termination_for_convenience", "This Agreement may be terminated at any time, without penalty, by the Board of the Fund on 60 days' written notice.", `{"present":true}`},
		// lettered items run together: the item that grants the right counts
		{"termination_for_convenience", "The Licensor may terminate on thirty days' notice if the Licensee breaches. d. the Licensee shall have the right to terminate this Agreement at any time upon thirty (30) days' written notice.", `{"party":"customer","present":true}`},
		// conditions, causes, mutual consent, references, list introductions
		{"termination_for_convenience", "This Agreement may be terminated by either party with cause upon thirty (30) days written notice.", ""},
		{"termination_for_convenience", "If the parties cannot agree on pricing, either party may terminate this Agreement on ninety (90) days' written notice.", ""},
		{"termination_for_convenience", "The parties may terminate this Agreement at any time by mutual consent.", ""},
		{"termination_for_convenience", "This Addendum may be terminated at any time by either Party in accordance with the termination provisions of the Distribution Agreement.", ""},
		{"termination_for_convenience", "The Agent may terminate this Agreement by giving the notice indicated below at any time after this Agreement becomes effective as follows:", ""},
		{"termination_for_convenience", "Either party may terminate this Agreement by giving written notice to the other party: (i) if the other party fails to perform.", ""},
		{"termination_for_convenience", "The Company shall have the right to terminate this Agreement immediately on written notice upon learning of any such affiliation.", ""},
		{"termination_for_convenience", "The Servicer shall be entitled to terminate the subservicing by any Sub-Servicer at any time in its sole discretion.", ""},
		// notice at the end of the term is non-renewal; a negated right is no right
		{"termination_for_convenience", "Either party may terminate this Agreement at the end of the then-current term upon sixty (60) days' written notice.", ""},
		{"termination_for_convenience", "This Agreement may not be terminated by either Party at any time for its own convenience.", `{"present":false}`},
		// a table of contents and non-cancellable orders say nothing
		{"termination_for_convenience", "7.5 Termination in Event of Insolvency 51 7.6 Termination for Breach 51 7.7 Termination for Convenience by Customer 52 7.8 Effect of Termination 52", ""},
		{"termination_for_convenience", "Except as provided herein, all Orders for Products are non-cancelable.", ""},
	})
}

func TestAuditRightsRealWording(t *testing.T) {
	checkRuleCases(t, []ruleCase{
		// mutual audits, and rights over books, records or premises
		{"audit_rights", "Either party shall have the right to audit the books and records of the other party insofar as they pertain to this Agreement.", `{"present":true}`},
		{"audit_rights", "During the Term the Customer shall have the right, upon reasonable prior written notice and during regular business hours, to inspect and/or audit the Supplier's books and records.", `{"present":true}`},
		{"audit_rights", "The Contractor shall make its books and records available for inspection by the Client upon reasonable notice.", `{"present":true}`},
		{"audit_rights", "The Vendor shall permit such records to be examined by the Customer or its authorized representative.", `{"present":true}`},
		{"audit_rights", "The Supplier will make available upon written request to the Customer this Agreement and books, documents and records relating to it.", `{"present":true}`},
		{"audit_rights", "The Client may cause an independent certified public accountant to inspect the records of the Provider once a year.", `{"present":true}`},
		{"audit_rights", "Northwind shall have the right to inspect Southgate's manufacturing facilities at reasonable intervals.", `{"present":true}`},
		{"audit_rights", "The Non-Billing Party shall have the right to have an audit conducted through an independent accounting firm.", `{"present":true}`},
		// "inspect" of other things is quality control, not an audit
		{"audit_rights", "The Mark owner shall have the right to inspect and require changes of advertising copy.", ""},
		{"audit_rights", "The Buyer may inspect the goods on delivery and reject defective units.", ""},
		{"audit_rights", "Party A is entitled to inspect any materials submitted by Party B.", ""},
		// access to premises to do the work, regulators and insurers, and the vendor auditing the customer
		{"audit_rights", "The Customer shall allow the Supplier reasonable access to its premises in order to provide the Services.", ""},
		{"audit_rights", "The Contractor shall make its service records available to the Owner's insurers and to the Health and Safety Executive for inspection.", ""},
		{"audit_rights", "The Licensor may engage an independent accounting firm to examine the Licensee's books and records.", ""},
		{"audit_rights", "The Supplier will make its facility available to the Distributor for sales training.", ""},
	})
}

func TestLiabilityCapRealWording(t *testing.T) {
	checkRuleCases(t, []ruleCase{
		// multiples, amounts in words, remuneration and payments received
		{"liability_cap", "The Supplier's total liability under this Agreement shall not exceed 24 times the monthly fee.", `{"kind":"fees_multiple","multiple":24}`},
		{"liability_cap", "Except for claims under Section 9, the liability of a party to the other for direct damages shall not exceed fifteen million dollars.", `{"amount":15000000,"currency":"USD","kind":"fixed"}`},
		{"liability_cap", "The Consultant's liability shall not exceed the remuneration paid under this Agreement.", `{"kind":"fees_multiple","multiple":1}`},
		{"liability_cap", "Reimbursements claimed under such indemnification shall not exceed payments received by the Supplier under this contract.", `{"kind":"fees_multiple","multiple":1}`},
		{"liability_cap", "The Vendor's total liability for any loss shall be limited to the amount of the cost of the products.", `{"kind":"fees_multiple","multiple":1}`},
		{"liability_cap", "In no event shall either party be liable under this Agreement for an amount greater than the amount such party has earned under this Agreement.", `{"kind":"fees_multiple","multiple":1}`},
		// an exclusion of damages, an insurance limit and a contribution share are no cap
		{"liability_cap", "In no event shall either party be liable for any indirect, special or consequential damages.", ""},
		{"liability_cap", "Umbrella liability insurance with limits of not less than $5,000,000 shall be maintained.", ""},
		{"liability_cap", "The Agent shall not be required to contribute any amount in excess of the fees received by it.", ""},
	})
}

func TestLiabilityCapMoreWording(t *testing.T) {
	checkRuleCases(t, []ruleCase{
		{"liability_cap", "In no event shall the Supplier's liability hereunder exceed the sum total of payments made by the Customer under the initial term.", `{"kind":"fees_multiple","multiple":1}`},
		{"liability_cap", "The total liability per year of the Supplier shall be limited to the value of the revenues collected in the previous contractual year.", `{"kind":"fees_multiple","months":12,"multiple":1}`},
		{"liability_cap", "The Contractor's total liability in respect of all claims shall not exceed the sum of (pounds)500,000.", `{"amount":500000,"currency":"GBP","kind":"fixed"}`},
	})
}

func TestTerminationListItems(t *testing.T) {
	checkRuleCases(t, []ruleCase{
		{"termination_for_convenience", "This Agreement can be terminated at any time prior to the expiry of the Term, as follows: (a) by the Consultant electing to give the Company not less than 3 months prior notice of such termination; (b) by the Company giving the Consultant 3 months prior notice.", `{"party":"vendor","present":true}`},
		{"termination_for_convenience", "This Agreement may be terminated upon the occurrence of any of the following events:\n\n(d) By either party hereto upon sixty (60) days prior written notice to the other party hereto;", `{"party":"either","present":true}`},
		{"termination_for_convenience", "This Agreement may be terminated as follows: (a) by the Licensor upon thirty days' notice if the Licensee fails to pay.", ""},
	})
}

func TestTerminationAlternativesRealWording(t *testing.T) {
	checkRuleCases(t, []ruleCase{
		// one of several alternatives asks no reason
		{"termination_for_convenience", "The Supplier may terminate this Agreement upon prior written notice (a) if the Customer breaches, or (b) at any other time upon ninety (90) days' prior written notice.", `{"party":"vendor","present":true}`},
		{"termination_for_convenience", "Notwithstanding the foregoing, this Agreement shall be earlier terminated (x) by mutual agreement of the parties, or (y) at any time upon sixty (60) days advance written notice to the other party.", `{"party":"either","present":true}`},
		{"termination_for_convenience", "This Agreement shall be terminable (a) by the Licensor (i) upon breach or (ii) upon sixty (60) days' written notice by the Licensor or (b) by the Licensee (i) upon breach or (ii) upon sixty (60) days' written notice by the Licensee.", `{"party":"either","present":true}`},
		{"termination_for_convenience", "The Customer may terminate this Agreement upon ninety (90) days written notice to the Supplier: 1) if the Customer discontinues the product or 2) without cause for any reason or no reason.", `{"party":"customer","present":true}`},
		{"termination_for_convenience", "This Agreement continues in effect until the earlier of (a) the fifth anniversary of the Effective Date, and (b) termination by either Party for any reason upon thirty (30) days' written notice to the other Party.", `{"party":"either","present":true}`},
		// "terminable", "sooner terminated", "without prejudice to ..." and a wish to terminate
		{"termination_for_convenience", "Unless sooner terminated, the initial term will be ten (10) years, provided that after the 7th anniversary either party may terminate such strategic alliance upon not less than 60 days' prior written notice.", `{"party":"either","present":true}`},
		{"termination_for_convenience", "Without prejudice to the Employer's right to terminate the engagement for cause under clause 11.3, either the Consultant or the Employer may terminate this agreement by giving the other not less than six months' notice in writing.", `{"party":"either","present":true}`},
		{"termination_for_convenience", "In the event that the Customer desires to terminate the Agreement before the end of the Term, it shall give the Supplier at least 60 days prior written notice of its intention.", `{"party":"customer","present":true}`},
		// words that only look like a denial: "notwithstanding", "notice", "does not apply", "will not constitute"
		{"termination_for_convenience", "Sections 6 to 12 survive notwithstanding the termination of this Agreement for any reason. This Agreement can be terminated at any time, as follows: (a) by the Consultant giving not less than 3 months prior notice.", `{"party":"vendor","present":true}`},
		{"termination_for_convenience", "If the Regulations do not apply to the termination of this Agreement for any reason, clause 19 applies. The Customer may terminate this Agreement upon sixty (60) days' written notice.", `{"party":"customer","present":true}`},
		// still no find: items that depend on an event, mutual consent alone, numbers in brackets are no items
		{"termination_for_convenience", "The Licensor may terminate this Agreement (a) upon thirty (30) days' written notice if the Licensee fails to pay, or (b) by mutual agreement.", ""},
		{"termination_for_convenience", "If the Customer elects to terminate this Agreement because the Supplier is in breach, it shall give sixty (60) days written notice.", ""},
		{"termination_for_convenience", "This Agreement may be terminated by either party upon ninety (90) days' written notice prior to the end of the then-current term.", ""},
	})
}

func TestLiabilityCapRedactedAndLists(t *testing.T) {
	checkRuleCases(t, []ruleCase{
		// a filed copy withholds the amount: still a cap, of unknown size
		{"liability_cap", "Except for liabilities under Section 7.2, neither party's aggregate liability arising out of this Agreement shall exceed [***].", `{"kind":"redacted"}`},
		{"liability_cap", "Each party's maximum aggregate liability to the other party for any and all causes whatsoever shall be limited to $[* * *].", `{"kind":"redacted"}`},
		{"liability_cap", "The aggregate liability of the Supplier under this Agreement shall be equal to the lesser of: (i) ***; and (ii) ***.", `{"kind":"redacted"}`},
		// a template's blank is not a value, and debts are not a party's liability
		{"liability_cap", "The Supplier's aggregate liability shall not exceed [__].", ""},
		{"liability_cap", "Permitted Liens include liens securing liabilities in an aggregate amount not to exceed [***].", ""},
		// the amount in the items after a colon
		{"liability_cap", "Each party's total liability under this Agreement arising in any Contract Year is limited to the greater of:\n\n(a) [ * ] Euros; and\n\n(b) [ * ]% of the total payment due in the relevant Contract Year.", `{"kind":"redacted"}`},
		{"liability_cap", "Regardless of the basis on which the Customer claims damages from the Provider, the Provider is liable for no more than:\n\na. indemnification payments under Section 8.1;\n\nb. the amount of any other direct damages, up to the greater of $100,000 or the charges paid by the Customer in the twelve (12) months before the claim.", `{"kind":"fees_multiple","months":12,"multiple":1}`},
		// "limited in the aggregate to", a number in words and figures, what it actually received
		{"liability_cap", "Any liability of Agent will be limited in the aggregate to an amount equal to twenty four (24) times the monthly administrative fee to be paid by Client.", `{"kind":"fees_multiple","multiple":24}`},
		{"liability_cap", "The Supplier's liability is further limited in any event to any amount it actually received in consideration of the products subject of the claim.", `{"kind":"fees_multiple","multiple":1}`},
		{"liability_cap", "All liability of each party shall be limited separately for products and services to the greater of (i) $500,000 or (ii) the money paid to the Supplier under this Agreement.", `{"kind":"fees_multiple","multiple":1}`},
	})
}

func TestNonRenewalMoreWording(t *testing.T) {
	checkRuleCases(t, []ruleCase{
		// a termination at the end of the term: the notice's length is the period
		{"non_renewal_notice", "This Agreement may be terminated by either party at the expiration of its term or any renewal term upon thirty (30) days written notice to the other party.", `{"days":30}`},
		// the sentence after the renewal asks for the notice
		{"non_renewal_notice", "This agreement will be automatically renewed at the end of every ten (10) year term. A six (6) months notice must be given by either party of their intention to terminate relations due to any reason other than breach of this agreement.", `{"months":6}`},
		// an evergreen term ended by notice
		{"non_renewal_notice", "The term of this Agreement shall commence on the Effective Date and shall remain in effect until terminated by either Party upon thirty (30) days' prior written notice.", `{"days":30}`},
		{"auto_renewal", "The term of this Agreement shall commence on the Effective Date and shall remain in effect until terminated by either Party upon thirty (30) days' prior written notice.", `{"present":true}`},
		// a period withheld from the filed copy
		{"non_renewal_notice", "This Agreement will automatically renew for additional successive [***] terms unless either Party provides written notice of non-renewal at least [***] prior to the end of the then-current Term.", `{"redacted":true}`},
		// no find: a cure period withheld, a right to leave at any time after the first period, a condition in the next sentence
		{"non_renewal_notice", "Either party may terminate upon written notice in the event of a material breach not cured within [***] following notice, effective at the end of such period.", ""},
		{"non_renewal_notice", "Any Party may terminate its participation in this Agreement at the end of the Initial Period or any time thereafter by giving not less than one (1) year's prior notice.", ""},
		{"non_renewal_notice", "This Agreement shall expire upon completion of the Project unless terminated earlier. If it is apparent that the Project cannot be carried out, either Party may terminate this Agreement upon one hundred eighty (180) days prior written notice.", ""},
	})
}

// A page number between the halves of a sentence cut by a page break does
// not end the sentence.
func TestSentenceAcrossPageNumber(t *testing.T) {
	checkRuleCases(t, []ruleCase{
		{"non_renewal_notice", "This Agreement shall be valid for five (5) years with automatic renewal of one year thereafter until terminated\n\n-2-\n\nby either party with one (1) year written notice prior to the expiration of the initial period.", `{"years":1}`},
		{"non_renewal_notice", "Either party may cancel this Agreement effective on the last day of the Initial Term, or\n\n   10    11\n\nany Renewal Term, by serving written notice at least ninety (90) days prior to the end of the Initial Term or any Renewal Term.", `{"days":90}`},
	})
	text := "The Supplier keeps the records.\n\n12\n\nThe Buyer may ask for them."
	if v := newView(text); len(v.sents) != 3 {
		t.Errorf("%q: %d sentences, want 3 (a page number after a full stop stands alone)", text, len(v.sents))
	}
}

func TestRenewalOptionsAndApprovals(t *testing.T) {
	checkRuleCases(t, []ruleCase{
		// renewals both must agree to, or that need an approval each year, are not automatic
		{"auto_renewal", "This Agreement may be renewed for successive one (1) year terms pursuant to mutual written agreement of the parties.", `{"present":false}`},
		{"renewal_term", "This Agreement may be renewed for successive one (1) year terms pursuant to mutual written agreement of the parties.", ""},
		{"renewal_term", "Upon mutual agreement, this Agreement may be renewed for one (1) additional one (1) year term.", ""},
		{"renewal_term", "The Distributor shall have the option to renew this Agreement for an additional three (3) year period.", ""},
		{"auto_renewal", "This Agreement shall continue automatically for successive annual periods, provided that such continuance is specifically approved at least annually by the Board.", `{"present":false}`},
		{"auto_renewal", "This Agreement shall continue from year to year thereafter, subject to the provisions for termination and all other terms and conditions hereof, only if such continuation shall be specifically approved at least annually by the Board.", `{"present":false}`},
		// said to be automatic, beside another way to extend it
		{"auto_renewal", "The Consultation Period (as it may be extended, either by the mutual written agreement of the parties or automatically) shall automatically renew for successive one-year periods.", `{"present":true}`},
		{"auto_renewal", "Upon expiry of the Initial Term, this Agreement continues unless a Notice of non-renewal is given by either Party.", `{"present":true}`},
		// a product called Evergreen, a period extended to a date or under another section
		{"auto_renewal", "Customers pay through the Evergreen Gateway and the payment is held in escrow.", ""},
		{"auto_renewal", "The Support Period shall automatically be extended until 11:59 pm on the date thirty (30) days before the deadline.", ""},
		{"auto_renewal", "In the event that the Support Period is automatically extended pursuant to Section 4(b), the Investors shall keep the standstill.", ""},
		{"auto_renewal", "This agreement is evergreen: it continues month to month until either party ends it.", `{"present":true}`},
	})
}

func TestAuditRightsLongAndDotted(t *testing.T) {
	checkRuleCases(t, []ruleCase{
		// a long aside between the right and "to inspect"
		{"audit_rights", "The Customer shall have the right, at its own expense, during normal business hours and upon reasonable prior notice, through an auditor selected by the Customer and acceptable to the Supplier and upon execution of a confidentiality agreement reasonably satisfactory to the Supplier in form and substance, to inspect and audit the records and books maintained by the Supplier.", `{"present":true}`},
		// section numbers and dotted names are no sentence ends
		{"audit_rights", "All records maintained under Section 2.12(a) shall be kept at the Contractor's office and made available for the Client's inspection upon request at all reasonable times.", `{"present":true}`},
		{"audit_rights", "The Supplier agrees to allow E.piphany Ltd to audit the Supplier's business records as kept in its normal course of business.", `{"present":true}`},
	})
}

// A running footer of a filed copy between the halves of a sentence does
// not end it.
func TestSentenceAcrossRunningFooter(t *testing.T) {
	text := "Each Party will allow an independent certified public\n\nSource: ACME INC, 10-Q, 11/13/2000\n\n\n\naccounting firm selected by the other Party to audit its books and records."
	if v := newView(text); len(v.sents) != 1 {
		t.Errorf("%q: %d sentences, want 1", text, len(v.sents))
	}
	checkRuleCases(t, []ruleCase{{"audit_rights", text, `{"present":true}`}})
}

func TestInsuranceDutyRealWording(t *testing.T) {
	checkRuleCases(t, []ruleCase{
		// the duty's verb before the insurance, at a distance or in a list item
		{"insurance", "Oak Ridge shall arrange product liability and warranty insurance.", `{"present":true}`},
		{"insurance", "Both parties shall at all times while this Agreement is in effect and for one (1) year thereafter, at its expense, carry and maintain insurance on all its operations.", `{"present":true}`},
		{"insurance", "The Supplier agrees that it shall: (i) comply with the laws that govern its business; (ii) carry reasonable amounts of insurance to cover its indemnities.", `{"present":true}`},
		// no cover a party must carry: social insurance, insurance laws, a
		// product called Insurance Center, a condition, an indemnity
		{"insurance", "The Consultant will indemnify and hold harmless the Company against any claim for withholding under the applicable tax, workers compensation and employment insurance laws.", ""},
		{"insurance", "The terms shall have the meanings ascribed thereto under the insurance laws and regulations of the Domiciliary State.", ""},
		{"insurance", "The partner shall create and maintain links from its site to the Insurance Center.", ""},
		{"insurance", "Should the Parties jointly agree to insure against risks, the costs of such insurance shall form part of the Capital Costs.", ""},
		{"insurance", "Civil commotions, insurrections and riots are events of force majeure, and the Supplier shall maintain its plant.", ""},
	})
}

func TestTerminationItemsUnderIntro(t *testing.T) {
	checkRuleCases(t, []ruleCase{
		// "the right (but not the obligation) to terminate ... if:" introduces
		// items; the one that asks only for notice is a right without cause
		{"termination_for_convenience", "The Customer shall have the right (but not the obligation) to terminate this Agreement if:\n\n(i) the Supplier is in material breach of its obligations;\n\n(ii) the Supplier becomes insolvent; or\n\n(iii) upon the Customer giving the Supplier at least sixty (60) days advance written notice of termination of this Agreement.", `{"party":"customer","present":true}`},
		{"termination_for_convenience", "The Customer shall have the right (but not the obligation) to terminate this Agreement if:\n\n(i) the Supplier is in material breach of its obligations; or\n\n(ii) the Supplier becomes insolvent.", ""},
	})
}

func TestTerminationNumberedItems(t *testing.T) {
	checkRuleCases(t, []ruleCase{
		{"termination_for_convenience", "13.1 The term is five (5) years unless earlier terminated as follows: 13.1.1 In the event of material breach, the other party may terminate on sixty (60) days written notice. 13.1.2 in the event a party becomes insolvent, the other party shall have the sole right to immediately terminate; or 13.1.3 by either party for any reason by providing six (6) months prior written notice expressly terminating this Agreement.", `{"party":"either","present":true}`},
	})
}

func TestTerminationDenialsOfOtherThings(t *testing.T) {
	checkRuleCases(t, []ruleCase{
		// a denial about licences or another agreement's renewal neither
		// denies nor grants a right to end this contract
		{"termination_for_convenience", "The Customer may terminate this Agreement for its convenience, without cause, at any time upon at least forty-five (45) days prior written notice. The licenses granted in this Agreement shall not terminate for any reason unless the Supplier terminates the applicable schedule. If the Services Schedule expires, does not renew or terminates for any reason, then the Customer may terminate this Agreement.", `{"party":"customer","present":true}`},
		{"termination_for_convenience", "The licenses granted hereunder are irrevocable and may not be terminated for any reason.", ""},
		{"termination_for_convenience", "Neither party may terminate this Agreement for convenience.", `{"present":false}`},
	})
}

// A clause in capitals cut by a page number goes on in capitals.
func TestCapitalsAcrossPageNumber(t *testing.T) {
	checkRuleCases(t, []ruleCase{
		{"liability_cap", "EXCEPT IN THE EVENT OF A CLAIM UNDER SECTION 10 OR A FAILURE TO PAY UNDER SECTION 6, IN NO EVENT SHALL\nEITHER PARTY BE LIABLE TO THE\n\n8\n\nOTHER PARTY IN AN AMOUNT GREATER THAN THE AMOUNT THE CUSTOMER ACTUALLY PAYS TO THE SUPPLIER HEREUNDER.", `{"kind":"fees_multiple","multiple":1}`},
	})
	text := "THE SUPPLIER KEEPS THE RECORDS.\n\n8\n\nARTICLE 9 TERMINATION"
	for _, st := range newView(text).sents {
		if strings.Contains(st.text, "records") && strings.Contains(st.text, "article") {
			t.Errorf("%q: a heading after a full stop was joined to the sentence: %q", text, st.text)
		}
	}
}
