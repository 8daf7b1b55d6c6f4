// The demo's TorchScript CNN: oriented-edge and colour-opponent filters, then random mixing, so it
// responds to shape, texture and colour in a plausible but imperfect way.
#include "alignscope/demo_data.h"
#include "alignscope/file_io.h"
#include "torch_backend.h"

#include "model_outputs.h"
#include "torch_error.h"

#include <cmath>
#include <sstream>

namespace alignscope::torch_backend {

namespace {

// 16 first-layer 7×7 filters over RGB: 8 oriented luminance edges (Gabor-like), 8 colour-opponent blobs.
at::Tensor firstLayerFilters()
{
    at::Tensor w = torch::zeros({16, 3, 7, 7});
    auto a = w.accessor<float, 4>();
    for (int f = 0; f < 8; ++f) {
        const double theta = M_PI * f / 8.0;
        for (int y = 0; y < 7; ++y)
            for (int x = 0; x < 7; ++x) {
                const double u = (x - 3) * std::cos(theta) + (y - 3) * std::sin(theta);
                const double v = -(x - 3) * std::sin(theta) + (y - 3) * std::cos(theta);
                const double g = std::exp(-(u * u + v * v) / 8.0) * std::sin(1.2 * u);
                for (int c = 0; c < 3; ++c)
                    a[f][c][y][x] = float(g / 3.0);
            }
    }
    const float opponents[8][3] = {{1, -1, 0}, {-1, 1, 0}, {0, 1, -1}, {0, -1, 1},
                                   {1, 0, -1}, {-1, 0, 1}, {1, 1, -2}, {1, 1, 1}};
    for (int f = 0; f < 8; ++f)
        for (int y = 0; y < 7; ++y)
            for (int x = 0; x < 7; ++x) {
                const double blob = std::exp(-((x - 3) * (x - 3) + (y - 3) * (y - 3)) / 6.0) / 6.0;
                for (int c = 0; c < 3; ++c)
                    a[8 + f][c][y][x] = float(blob * opponents[f][c]);
            }
    return w;
}

} // namespace

Status writeDemoCnn(const std::string& path)
{
    std::ostringstream bytes;
    try {
        torch::NoGradGuard noGrad;
        torch::manual_seed(20231);
        torch::jit::Module module("DemoCnn");
        module.register_parameter("w1", firstLayerFilters(), false);
        module.register_parameter("b1", torch::full({16}, 0.01), false);
        module.register_parameter("w2", torch::randn({32, 16, 3, 3}) * 0.25, false);
        module.register_parameter("b2", torch::zeros({32}), false);
        module.define(R"JIT(
def forward(self, x):
    h1 = torch.relu(torch.conv2d(x, self.w1, self.b1, [2, 2], [3, 3]))
    h1 = torch.max_pool2d(h1, [2, 2])
    h2 = torch.relu(torch.conv2d(h1, self.w2, self.b2, [1, 1], [1, 1]))
    return (torch.mean(h2, [2, 3]), torch.mean(h1, [2, 3]))
)JIT");
        module.save(bytes); // into memory: the file is written by the checked atomic write below
    } catch (const std::exception& error) {
        return makeError(path, "", "cannot build the demo CNN: " + detail::torchErrorText(error));
    }
    return writeFileAtomically(path, bytes.str());
}

} // namespace alignscope::torch_backend
