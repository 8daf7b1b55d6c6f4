#include "model_outputs.h"

#include "torch_backend.h"
#include "torch_error.h"

#include "alignscope/file_io.h"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>

namespace alignscope::torch_backend::detail {

Result<torch::jit::Module> loadModule(const std::string& path, const torch::Device& device)
{
    if (auto regular = checkRegularFile(path); !regular) return regular.error();
    try {
        torch::jit::Module module = torch::jit::load(path, device);
        module.eval();
        return module;
    } catch (const std::exception& error) {
        return makeError(path, "", "not a loadable TorchScript model: " + torchErrorText(error));
    }
}

namespace {

std::mutex g_timeoutMutex;
double g_timeoutSeconds = 0;
std::function<void(const std::string&)> g_onExpiry;

} // namespace

struct ModelCallTimer::State
{
    std::mutex mutex;
    std::condition_variable finished;
    bool done = false;
};

ModelCallTimer::ModelCallTimer(std::string what)
{
    double seconds;
    std::function<void(const std::string&)> onExpiry;
    {
        std::lock_guard<std::mutex> lock(g_timeoutMutex);
        seconds = g_timeoutSeconds;
        onExpiry = g_onExpiry;
    }
    if (!(seconds > 0) || !onExpiry) return;
    m_state = std::make_shared<State>();
    m_watchdog = std::thread([state = m_state, seconds, onExpiry, what = std::move(what)] {
        std::unique_lock<std::mutex> lock(state->mutex);
        if (state->finished.wait_for(lock, std::chrono::duration<double>(seconds),
                                     [&] { return state->done; }))
            return;
        char limit[32];
        std::snprintf(limit, sizeof limit, "%g", seconds);
        onExpiry(what + ": the model call did not finish within " + limit +
                 " s (the time limit; raise it with --timeout)");
    });
}

ModelCallTimer::~ModelCallTimer()
{
    if (!m_state) return;
    {
        std::lock_guard<std::mutex> lock(m_state->mutex);
        m_state->done = true;
    }
    m_state->finished.notify_all();
    m_watchdog.join();
}

Status checkFiniteOutput(const at::Tensor& tensor, const std::string& file, const std::string& selector,
                         const std::function<std::string(std::int64_t)>& rowNames)
{
    const at::Tensor bad = at::isfinite(tensor).logical_not();
    if (!bad.any().item<bool>()) return okStatus();
    const at::Tensor where = bad.nonzero();
    const std::int64_t row = where[0][0].item<std::int64_t>();
    const std::string what = at::isnan(tensor).any().item<bool>() ? "NaN" : "infinite";
    return makeError(file, selector.empty() ? "output" : "output " + selector,
                     "the model returned " + what + " values (first for " + rowNames(row) +
                         "); no features are written");
}

namespace {

std::string describeValue(const c10::IValue& value)
{
    if (value.isTensor()) return "a tensor";
    if (value.isTuple()) return "a tuple of " + std::to_string(value.toTupleRef().elements().size());
    if (value.isList()) return "a list of " + std::to_string(value.toListRef().size());
    if (value.isGenericDict()) return "a dict of " + std::to_string(value.toGenericDict().size());
    return "a " + value.tagKind();
}

void collectTensors(const c10::IValue& value, const std::string& prefix,
                    std::vector<std::pair<std::string, at::Tensor>>& out)
{
    auto join = [&](const std::string& key) { return prefix.empty() ? key : prefix + "." + key; };
    if (value.isTensor()) {
        out.emplace_back(prefix, value.toTensor());
    } else if (value.isTuple()) {
        const auto& elements = value.toTupleRef().elements();
        for (size_t i = 0; i < elements.size(); ++i)
            collectTensors(elements[i], join(std::to_string(i)), out);
    } else if (value.isList()) {
        const auto list = value.toListRef();
        for (size_t i = 0; i < list.size(); ++i)
            collectTensors(list[i], join(std::to_string(i)), out);
    } else if (value.isGenericDict()) {
        for (const auto& entry : value.toGenericDict()) {
            const c10::IValue& key = entry.key();
            collectTensors(entry.value(),
                           join(key.isString() ? key.toStringRef()
                                : key.isInt()  ? std::to_string(key.toInt())
                                               : "?"),
                           out);
        }
    }
}

bool parseIndex(const std::string& text, size_t& index)
{
    if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos)
        return false;
    index = size_t(std::stoul(text));
    return true;
}

} // namespace

Result<std::vector<std::pair<std::string, at::Tensor>>>
selectOutputs(const c10::IValue& result, const OutputSpec& spec, const std::string& file)
{
    std::vector<std::pair<std::string, at::Tensor>> selected;
    const std::string where = "method '" + spec.method + "'";
    if (spec.output == "all") {
        collectTensors(result, "", selected);
        if (selected.empty())
            return makeError(file, where, "returned " + describeValue(result) + " with no tensors");
        return selected;
    }
    if (spec.output.empty()) {
        if (result.isTensor()) return decltype(selected){{"", result.toTensor()}};
        if (result.isTuple() && result.toTupleRef().elements().size() == 1 &&
            result.toTupleRef().elements()[0].isTensor())
            return decltype(selected){{"0", result.toTupleRef().elements()[0].toTensor()}};
        return makeError(file, where,
                         "returned " + describeValue(result) +
                             "; choose one with --output INDEX|KEY or 'all'");
    }
    size_t index = 0;
    c10::IValue element;
    if (result.isTuple() && parseIndex(spec.output, index) && index < result.toTupleRef().elements().size()) {
        element = result.toTupleRef().elements()[index];
    } else if (result.isList() && parseIndex(spec.output, index) && index < result.toListRef().size()) {
        element = result.toListRef()[index];
    } else if (result.isGenericDict()) {
        for (const auto& entry : result.toGenericDict())
            if ((entry.key().isString() && entry.key().toStringRef() == spec.output) ||
                (entry.key().isInt() && std::to_string(entry.key().toInt()) == spec.output))
                element = entry.value();
    }
    if (element.isTensor()) return decltype(selected){{spec.output, element.toTensor()}};
    // A nested output by the name inspect and '--output all' give it ("0.a": key "a" of the tuple's first
    // element).
    std::vector<std::pair<std::string, at::Tensor>> all;
    collectTensors(result, "", all);
    for (auto& [selector, tensor] : all)
        if (selector == spec.output) return decltype(selected){{selector, tensor}};
    std::string names;
    for (size_t i = 0; i < all.size() && i < 12; ++i)
        names += (i ? ", " : "") + all[i].first;
    return makeError(file, where,
                     "output '" + spec.output + "' is not a tensor of the result (" + describeValue(result) +
                         "; outputs: " + names + ")");
}

at::Tensor toFeatureRows(const at::Tensor& output, SpatialPooling pooling)
{
    at::Tensor rows = output.to(at::kFloat);
    if (rows.dim() == 1)
        rows = rows.unsqueeze(1);
    else if (rows.dim() == 4 && pooling == SpatialPooling::Average)
        rows = rows.mean({2, 3});
    else if (rows.dim() == 3 && pooling == SpatialPooling::Average)
        rows = rows.mean({1});
    else if (rows.dim() > 2)
        rows = rows.flatten(1);
    return rows.to(at::kCPU).contiguous();
}

} // namespace alignscope::torch_backend::detail

namespace alignscope::torch_backend {

void setModelCallTimeout(double seconds, std::function<void(const std::string&)> onExpiry)
{
    std::lock_guard<std::mutex> lock(detail::g_timeoutMutex);
    detail::g_timeoutSeconds = seconds;
    detail::g_onExpiry = std::move(onExpiry);
}

} // namespace alignscope::torch_backend
