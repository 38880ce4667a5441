//go:build motcua_bench

package httpapi

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/motcua/motcua/engine/sqlitestore"
)

// TestActionSendersCeiling measures what bounds 8 senders ÷ 1 sender on
// this machine: the rounds of TestActionSendersReport (1 sender, then 8,
// every commit fsynced) interleaved with a third load, 8 senders with the
// writer's fsync turned off altogether (sqlitestore.SetSynchronous, only
// in binaries built with the motcua_bench tag). No way of sharing or
// hiding the fsyncs can take 8 senders past that third rate, so
// "8 without fsync ÷ 1 with" is the most any commit scheme could show
// here. It also prints how much of the machine's two cores stood idle
// (idle + iowait, from /proc/stat) under each load.
//
//	MOTCUA_BENCH=1 go test -tags motcua_bench -count=1 -run TestActionSendersCeiling -v ./engine/httpapi
func TestActionSendersCeiling(t *testing.T) {
	if os.Getenv("MOTCUA_BENCH") == "" {
		t.Skip("set MOTCUA_BENCH=1 to measure")
	}
	const rounds, total = 5, 2000
	ab := newActionBench(t, 1000)
	st := ab.bd.store.(*sqlitestore.Store)
	ctx := context.Background()
	type load struct {
		name    string
		senders int
		sync    string
	}
	loads := []load{{"1 sender", 1, "FULL"}, {"8 senders", 8, "FULL"}, {"8 senders, no fsync", 8, "OFF"}}
	type result struct {
		rate, idle, batch float64
		cpu               float64 // ms of process CPU per action
	}
	res := make([][]result, len(loads))
	for range rounds {
		for i, l := range loads {
			if err := st.SetSynchronous(ctx, l.sync); err != nil {
				t.Fatal(err)
			}
			before, cpu0, m0 := st.CommitStats(), cpuTime(), machineCPU()
			wall, _, err := ab.load(l.senders, total)
			if err != nil {
				t.Fatal(err)
			}
			after, cpu, m1 := st.CommitStats(), cpuTime()-cpu0, machineCPU()
			res[i] = append(res[i], result{
				rate:  float64(total) / wall.Seconds(),
				idle:  m1.idleCores(m0),
				batch: float64(after.Writes-before.Writes) / float64(after.Commits-before.Commits),
				cpu:   float64(cpu.Microseconds()) / 1000 / total,
			})
		}
	}
	if err := st.SetSynchronous(ctx, "FULL"); err != nil {
		t.Fatal(err)
	}
	median := func(rs []result, f func(result) float64) float64 {
		v := make([]float64, len(rs))
		for i, r := range rs {
			v[i] = f(r)
		}
		slices.SortFunc(v, cmp.Compare)
		return v[len(v)/2]
	}
	var out strings.Builder
	fmt.Fprintf(&out, "| load | actions/s (median of %d rounds of %d) | writes per commit | CPU per action | cores busy | machine's cores idle |\n|---|---:|---:|---:|---:|---:|\n", rounds, total)
	for i, l := range loads {
		rate, cpu := median(res[i], func(r result) float64 { return r.rate }), median(res[i], func(r result) float64 { return r.cpu })
		fmt.Fprintf(&out, "| %s | %.0f | %.2f | %.2f ms | %.2f | %.2f |\n", l.name, rate,
			median(res[i], func(r result) float64 { return r.batch }), cpu, rate*cpu/1000,
			median(res[i], func(r result) float64 { return r.idle }))
	}
	out.WriteString("\nEvery round, 8 senders ÷ 1 sender with fsync, and without it (the ceiling): ")
	for r := range rounds {
		fmt.Fprintf(&out, "%.2f× / %.2f×  ", res[1][r].rate/res[0][r].rate, res[2][r].rate/res[0][r].rate)
	}
	fmt.Fprintf(&out, "\nload average: %s", loadAvg())
	t.Log("\n" + out.String())
}

// machineTimes is the first line of /proc/stat: the whole machine's CPU
// time by kind, in clock ticks, and how many cpuN lines it sums (the
// online cores, which a process's affinity may not all reach).
type machineTimes struct {
	total, idle float64
	cores       int
}

func machineCPU() machineTimes {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return machineTimes{}
	}
	lines := strings.Split(string(b), "\n")
	var m machineTimes
	for i, f := range strings.Fields(lines[0])[1:] {
		var v float64
		fmt.Sscan(f, &v)
		m.total += v
		if i == 3 || i == 4 { // idle, iowait
			m.idle += v
		}
	}
	for _, l := range lines[1:] {
		if strings.HasPrefix(l, "cpu") {
			m.cores++
		}
	}
	return m
}

// idleCores is how many of the machine's cores stood idle (or waited on
// the disk) between since and m.
func (m machineTimes) idleCores(since machineTimes) float64 {
	if m.total == since.total {
		return 0
	}
	return float64(m.cores) * (m.idle - since.idle) / (m.total - since.total)
}
