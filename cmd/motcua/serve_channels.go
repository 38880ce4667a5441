package main

import (
	"context"
	"io"
	"net"
	"strconv"

	"github.com/wneessen/go-mail"

	"github.com/motcua/motcua/engine/httpapi"
	"github.com/motcua/motcua/engine/notify"
)

// notificationChannels builds the channels the flags ask for; the log
// channel (to stderr) alone when none is configured.
func notificationChannels(stderr io.Writer, c serveConfig) ([]notify.Channel, error) {
	var chs []notify.Channel
	if c.smtpAddr != "" {
		host, portS, err := net.SplitHostPort(c.smtpAddr)
		if err != nil {
			return nil, usagef("--smtp-addr %q: want HOST:PORT", c.smtpAddr)
		}
		port, err := strconv.Atoi(portS)
		if err != nil {
			return nil, usagef("--smtp-addr %q: bad port", c.smtpAddr)
		}
		policy := map[string]mail.TLSPolicy{"mandatory": mail.TLSMandatory, "opportunistic": mail.TLSOpportunistic, "none": mail.NoTLS}
		tls, ok := policy[c.smtpTLS]
		if !ok {
			return nil, usagef("--smtp-tls %q: want mandatory, opportunistic or none", c.smtpTLS)
		}
		chs = append(chs, &notify.SMTP{Host: host, Port: port, From: c.smtpFrom, TLS: tls, Username: c.smtpUser, Password: c.smtpPassword})
	}
	if sms, err := c.citizen.smsChannel(); err != nil {
		return nil, err
	} else if sms != nil {
		chs = append(chs, sms)
	}
	if c.webhookURL != "" {
		chs = append(chs, &notify.Webhook{URL: c.webhookURL, Secret: []byte(c.webhookSecret), KeyID: c.webhookKeyID})
	}
	if len(chs) == 0 {
		chs = append(chs, &notify.Log{W: stderr})
	}
	return chs, nil
}

// observed counts each delivery attempt of a channel in the metrics.
type observed struct {
	notify.Channel
	m *httpapi.Metrics
}

func (o *observed) Send(ctx context.Context, msg notify.Message) error {
	err := o.Channel.Send(ctx, msg)
	o.m.ObserveNotification(o.Channel.Name(), err)
	return err
}
