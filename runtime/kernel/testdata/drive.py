"""Drive the llmsam kernel with jupyter_client, as a frontend does, and
print one JSON line per check for kernel_test.go to assert on.

usage: python3 drive.py KERNEL_NAME   (JUPYTER_PATH must find the kernelspec)
"""
import json
import os
import queue
import signal
import sys
import time

from jupyter_client.manager import start_new_kernel


def report(name, **fields):
    fields["check"] = name
    print(json.dumps(fields), flush=True)


def run(kc, code, timeout=120):
    """Execute code; collect its IOPub outputs until idle and the reply."""
    msg_id = kc.execute(code)
    outputs = []
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        t = msg["msg_type"]
        if t == "status" and msg["content"]["execution_state"] == "idle":
            break
        if t in ("stream", "execute_result", "display_data", "update_display_data", "error", "execute_input"):
            outputs.append({"type": t, "content": msg["content"]})
    reply = kc.get_shell_msg(timeout=timeout)
    return reply["content"], outputs


def main():
    km, kc = start_new_kernel(kernel_name=sys.argv[1], startup_timeout=120)
    try:
        info = kc.kernel_info(reply=True, timeout=30)["content"]
        report("kernel_info", protocol=info["protocol_version"], language=info["language_info"]["name"])

        reply, outs = run(kc, 'nAgents := 6\nfmt.Println("nAgents is", nAgents)\nnAgents * 7')
        report("execute", status=reply["status"], count=reply["execution_count"], outputs=outs)

        code = "graph, _ := netw.BarabasiAlbert(30, 2, 1)\ngraph.Nodes()\nnetw.Barab"
        reply = kc.complete(code, len(code), reply=True, timeout=30)["content"]
        report("complete", matches=reply["matches"], start=reply["cursor_start"], end=reply["cursor_end"])
        reply = kc.complete("x := nAg", 8, reply=True, timeout=30)["content"]
        report("complete_local", matches=reply["matches"])

        code = "s := sim.Study{}"
        reply = kc.inspect(code, code.index("Study") + 2, reply=True, timeout=30)["content"]
        report("inspect", found=reply["found"], text=reply["data"].get("text/plain", ""))

        for name, code in (("is_complete_open", "for i := 0; i < 3; i++ {"), ("is_complete_done", "x := 1")):
            kc.is_complete(code)
            reply = kc.get_shell_msg(timeout=30)["content"]
            report(name, status=reply["status"], indent=reply.get("indent"))

        reply, outs = run(kc, "y := 1\nz := y + undefinedThing")
        report("error", status=reply["status"], ename=reply.get("ename"), evalue=reply.get("evalue"),
               traceback=reply.get("traceback"), outputs=outs)

        reply, outs = run(kc, "var xs []int\nxs[3]")
        report("panic", status=reply["status"], ename=reply.get("ename"), traceback=reply.get("traceback"))

        reply = kc.history(hist_access_type="tail", n=10, reply=True, timeout=30)["content"]
        report("history", status=reply["status"], n=len(reply["history"]))
        reply = kc.comm_info(reply=True, timeout=30)["content"]
        report("comm_info", status=reply["status"], comms=reply["comms"])

        # Interrupts during a long sim.Run: by message (the kernelspec's mode)
        # and by SIGINT.
        # About 2 ms a step (a complete graph of 1500) and 40 kB of history a
        # step: minutes of work if the interrupt does not stop it.
        long_run = ("people := pop.MustSynthetic(scenario.Dishwasher(), 1500, 1)\n"
                    "run, err := sim.Run(sim.Study{Name: \"long\", Scenario: scenario.Dishwasher(), Network: netw.Complete(1500), People: people,\n"
                    "\tAgents: theory.SAM{}, Steps: 100000, Seed: 1})\n"
                    "fmt.Println(\"finished:\", run != nil, err)")
        for how in ("message", "signal"):
            msg_id = kc.execute(long_run)
            # wait until the cell runs
            while True:
                msg = kc.get_iopub_msg(timeout=60)
                if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "execute_input":
                    break
            time.sleep(2.0)
            sent = time.monotonic()
            if how == "message":
                km.interrupt_kernel()
            else:
                km.signal_kernel(signal.SIGINT)
            outs = []
            while True:
                msg = kc.get_iopub_msg(timeout=60)
                if msg["parent_header"].get("msg_id") != msg_id:
                    continue
                if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                    break
                outs.append({"type": msg["msg_type"], "content": msg["content"]})
            stopped = time.monotonic() - sent
            reply = kc.get_shell_msg(timeout=60)["content"]
            after, after_outs = run(kc, "1 + 1")
            report("interrupt_" + how, status=reply["status"], ename=reply.get("ename"), seconds=stopped,
                   outputs=outs, after=after["status"], after_outputs=after_outs)

        # The heartbeat answers (jupyter_client pings it every few seconds).
        beating = False
        for _ in range(40):
            time.sleep(0.25)
            beating = kc.hb_channel.is_beating()
            if beating:
                break
        report("heartbeat", beating=beating)

        # Restart: the kernel exits on shutdown_request(restart=True) and
        # the manager starts a fresh one on the same ports.
        km.restart_kernel(now=False)
        kc.wait_for_ready(timeout=120)
        reply, outs = run(kc, "nAgents")
        report("restart", status=reply["status"], count=reply["execution_count"], evalue=reply.get("evalue"))
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
        report("shutdown", alive=km.is_alive())


if __name__ == "__main__":
    main()
