package engine

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// TestReceptionValidators names each rule of the reception's fields with
// values that keep it and values that break it.
func TestReceptionValidators(t *testing.T) {
	t.Parallel()
	cases := []struct {
		rule  string
		valid func(string) bool
		good  []string
		bad   []string
	}{
		{"a căn cước number is exactly 12 digits", ValidIDNo,
			[]string{"001090000001", "079203012345"},
			[]string{"", "123", "abc", "00109000000", "0010900000012", "00109000000a", "001 090 000 001", "０01090000001"}},
		{"a mobile number is 10 digits starting 03, 05, 07, 08 or 09, +84 in place of 0", ValidPhone,
			[]string{"0912345678", "0312345678", "0589999999", "0701234567", "0812345678", "+84912345678", "+84 912 345 678", "0912.345.678", "0912-345-678"},
			[]string{"", "abc", "0912", "091234567", "09123456789", "0112345678", "0412345678", "0612345678", "912345678", "+85912345678", "+840912345678", "0912a45678", "++84912345678"}},
		{"a landline is 11 digits starting 02, +84 in place of 0", ValidPhone,
			[]string{"02183852123", "(0218) 3852 123", "+842183852123", "02438253536"},
			[]string{"0218385212", "021838521234", "03183852123"}},
		{"an e-mail is one plain address with a dotted domain", ValidEmail,
			[]string{"a@xa.gov.vn", "nguyen.van.a@example.vn", "a+b@mail.com"},
			[]string{"", "khong-phai-email", "a@b", "a@.vn", "a@vn.", "a@x..vn", "A <a@x.vn>", "a@x.vn, b@x.vn", "a b@x.vn", "@x.vn", "a@"}},
		{"the number of sets is a positive whole number up to 100", ValidSets,
			[]string{"1", "2", "100", "01"},
			[]string{"", "0", "-1", "abc", "1.5", "101", " 1", "99999999999999999999"}},
	}
	for _, c := range cases {
		t.Run(c.rule, func(t *testing.T) {
			t.Parallel()
			for _, s := range c.good {
				if !c.valid(s) {
					t.Errorf("%q refused, want accepted", s)
				}
			}
			for _, s := range c.bad {
				if c.valid(s) {
					t.Errorf("%q accepted, want refused", s)
				}
			}
		})
	}
}

// TestReceptionFields checks that the reception names the wrong field,
// in both languages, and lets a good reception through.
func TestReceptionFields(t *testing.T) {
	t.Parallel()
	env := envOf(t, birthProc(t))
	now := at(t, "2026-03-09T09:00:00+07:00") // a Monday
	ok := ReceiveInput{Actor: "tn01", Channel: ChannelCounter,
		Applicant: Applicant{Name: "Trần Thị B", IDNo: "001090000001", Phone: "+84 912 345 678", Email: "b@xa.gov.vn"},
		Inputs:    map[string]string{InputSets: "2"}}
	if err := CheckReception(env, ok, now); err != nil {
		t.Fatalf("a good reception refused: %v", err)
	}
	cases := []struct {
		rule  string
		edit  func(*ReceiveInput)
		field string // empty: accepted
	}{
		{"names are not empty", func(in *ReceiveInput) { in.Applicant.Name = "  " }, FieldName},
		{"the ID number is a 12-digit căn cước number", func(in *ReceiveInput) { in.Applicant.IDNo = "123" }, FieldIDNo},
		{"the ID number is optional", func(in *ReceiveInput) { in.Applicant.IDNo = "" }, ""},
		{"the phone is a Vietnamese number", func(in *ReceiveInput) { in.Applicant.Phone = "abc" }, FieldPhone},
		{"the e-mail is an address", func(in *ReceiveInput) { in.Applicant.Email = "khong-phai-email" }, FieldEmail},
		{"the number of sets is a positive integer", func(in *ReceiveInput) { in.Inputs = map[string]string{InputSets: "abc"} }, FieldSets},
		{"zero sets is refused", func(in *ReceiveInput) { in.Inputs = map[string]string{InputSets: "0"} }, FieldSets},
		{"a counter reception is not dated in the past", func(in *ReceiveInput) { in.ReceivedAt = now.Add(-time.Hour) }, FieldReceivedAt},
		{"an online reception is not dated in the past", func(in *ReceiveInput) {
			in.Channel, in.ReceivedAt = ChannelOnline, now.Add(-time.Hour)
		}, FieldReceivedAt},
		{"a reception a few seconds old is now, whatever the channel", func(in *ReceiveInput) { in.ReceivedAt = now.Add(-time.Minute) }, ""},
		{"a postal reception in the past needs a reason", func(in *ReceiveInput) {
			in.Channel, in.ReceivedAt = ChannelPost, at(t, "2026-03-06T10:00:00+07:00")
		}, FieldBackdateReason},
		{"a postal reception with a reason may be dated back", func(in *ReceiveInput) {
			in.Channel, in.ReceivedAt = ChannelPost, at(t, "2026-03-06T10:00:00+07:00")
			in.Inputs = map[string]string{InputBackdateReason: "thư đến thứ Sáu"}
		}, ""},
		{"a postal reception is at most five working days back by default", func(in *ReceiveInput) {
			// Monday 2 March 08:00 to Monday 9 March 09:00 is five working
			// days and an hour.
			in.Channel, in.ReceivedAt = ChannelPost, at(t, "2026-03-02T08:00:00+07:00")
			in.Inputs = map[string]string{InputBackdateReason: "thư thất lạc"}
		}, FieldReceivedAt},
		{"five working days back exactly is allowed", func(in *ReceiveInput) {
			in.Channel, in.ReceivedAt = ChannelPost, at(t, "2026-03-02T09:00:00+07:00")
			in.Inputs = map[string]string{InputBackdateReason: "thư thất lạc"}
		}, ""},
		{"a future reception is refused", func(in *ReceiveInput) { in.ReceivedAt = now.Add(time.Hour) }, FieldReceivedAt},
	}
	for _, c := range cases {
		t.Run(c.rule, func(t *testing.T) {
			t.Parallel()
			in := ok
			c.edit(&in)
			err := CheckReception(env, in, now)
			if c.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var bad *InvalidInputError
			if !errors.As(err, &bad) {
				t.Fatalf("error %T %v, want *InvalidInputError on %s", err, err, c.field)
			}
			if bad.Field != c.field {
				t.Errorf("field %q, want %q", bad.Field, c.field)
			}
			vi, en := bad.ReasonIn("vi"), bad.ReasonIn("en")
			if vi == "" || en == "" || vi == en {
				t.Errorf("reasons vi %q en %q: want both, in two languages", vi, en)
			}
		})
	}
}

// TestBackdateDays checks that the engine's setting moves the limit.
func TestBackdateDays(t *testing.T) {
	t.Parallel()
	env := envOf(t, birthProc(t))
	now := at(t, "2026-03-09T09:00:00+07:00")
	in := ReceiveInput{Actor: "tn01", Channel: ChannelPost, Applicant: Applicant{Name: "B"},
		ReceivedAt: at(t, "2026-03-05T10:00:00+07:00"), Inputs: map[string]string{InputBackdateReason: "x"}}
	for _, c := range []struct {
		rule string
		days int
		ok   bool
	}{
		{"one working day back does not reach Thursday 10:00 from Monday 09:00", 1, false},
		{"two working days back reach it", 2, true},
		{"a negative setting allows no backdating", -1, false},
	} {
		env := env
		env.BackdateDays = c.days
		err := CheckReception(env, in, now)
		if (err == nil) != c.ok {
			t.Errorf("%s: err %v, want ok=%v", c.rule, err, c.ok)
		}
	}
}

// FuzzReceptionValidators checks the validators never panic and agree
// with what they promise: an accepted ID number is 12 ASCII digits, an
// accepted phone normalises to 10 or 11 digits starting with 0, an
// accepted e-mail has one @ and no space, accepted sets are digits.
func FuzzReceptionValidators(f *testing.F) {
	for _, s := range []string{"001090000001", "+84 912 345 678", "(0218) 3852 123", "a@xa.gov.vn", "abc", "12", "0", "+84", "@", "a@b.c", "\x00", "０９１２"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if ValidIDNo(s) && (len(s) != 12 || strings.Trim(s, "0123456789") != "") {
			t.Errorf("ValidIDNo(%q) accepted", s)
		}
		if ValidPhone(s) {
			n := NormalizePhone(s)
			if (len(n) != 10 && len(n) != 11) || n[0] != '0' || strings.Trim(n, "0123456789") != "" {
				t.Errorf("ValidPhone(%q) accepted, normalised %q", s, n)
			}
		}
		if ValidEmail(s) && (strings.Count(s, "@") < 1 || strings.ContainsAny(s, " \t\r\n") || !utf8.ValidString(s)) {
			t.Errorf("ValidEmail(%q) accepted", s)
		}
		if ValidSets(s) && strings.Trim(s, "0123456789") != "" {
			t.Errorf("ValidSets(%q) accepted", s)
		}
	})
}
