package httpapi

type web struct{ s *Server }

func newWeb(s *Server) (*web, error) { return &web{s: s}, nil }
func (w *web) routes()              {}
