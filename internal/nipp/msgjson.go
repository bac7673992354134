package nipp

import (
	"encoding/json"
	"fmt"
)

// Text is a message argument already given in both languages (names from
// reference data, a resolver's explanation).
type Text struct{ VI, EN string }

func (t Text) String() string { return t.VI }

// msgArg is one argument of a stored Msg, tagged with its type so that a
// message read back formats as it was built.
type msgArg struct {
	T string          `json:"t"`
	V json.RawMessage `json:"v"`
}

type msgJSON struct {
	Key  string   `json:"key"`
	Args []msgArg `json:"args,omitempty"`
}

// MarshalJSON stores a message with typed arguments (import rows and jobs
// keep their messages this way and translate them when shown).
func (m Msg) MarshalJSON() ([]byte, error) {
	out := msgJSON{Key: m.Key}
	for _, a := range m.Args {
		var t string
		var v any = a
		switch x := a.(type) {
		case VND:
			t = "vnd"
		case Num:
			t = "num"
		case Date:
			t, v = "date", x.String()
		case Name:
			t = "name"
		case Text:
			t = "text"
		case Msg:
			t = "msg"
		case int:
			t = "int"
		case int64:
			t = "int"
		default:
			t, v = "s", fmt.Sprint(a)
		}
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		out.Args = append(out.Args, msgArg{T: t, V: b})
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads a message stored by MarshalJSON.
func (m *Msg) UnmarshalJSON(b []byte) error {
	var in msgJSON
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	m.Key, m.Args = in.Key, nil
	for _, a := range in.Args {
		var v any
		var err error
		switch a.T {
		case "vnd":
			var n VND
			err = json.Unmarshal(a.V, &n)
			v = n
		case "num":
			var n Num
			err = json.Unmarshal(a.V, &n)
			v = n
		case "int":
			var n int64
			err = json.Unmarshal(a.V, &n)
			v = n
		case "date":
			var s string
			if err = json.Unmarshal(a.V, &s); err == nil {
				v, err = ParseDate(s)
			}
		case "name":
			var n Name
			err = json.Unmarshal(a.V, &n)
			v = n
		case "text":
			var t Text
			err = json.Unmarshal(a.V, &t)
			v = t
		case "msg":
			var x Msg
			err = json.Unmarshal(a.V, &x)
			v = x
		default:
			var s string
			err = json.Unmarshal(a.V, &s)
			v = s
		}
		if err != nil {
			return err
		}
		m.Args = append(m.Args, v)
	}
	return nil
}

// DecodeMsg reads a message stored as text by EncodeMsg; text that is not
// an encoded message (rows written before messages had keys) comes back
// as a message whose key is the text itself, which the catalog shows as is.
func DecodeMsg(s string) Msg {
	var m Msg
	if len(s) > 0 && s[0] == '{' && json.Unmarshal([]byte(s), &m) == nil && m.Key != "" {
		return m
	}
	return Msg{Key: s}
}

// EncodeMsg stores a message as text (see DecodeMsg); the zero Msg is "".
func EncodeMsg(m Msg) string {
	if m.Key == "" {
		return ""
	}
	b, err := json.Marshal(m)
	if err != nil {
		return m.Key
	}
	return string(b)
}
