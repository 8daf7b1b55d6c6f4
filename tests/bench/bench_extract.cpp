// Feature extraction overhead: the whole pipeline (decode, preprocess, batch, forward, gather) against bare
// forward passes of the same model on pre-made tensors of the same batches, in one process.
// Usage: bench_extract FIXTURE_SCRIPT [--images N] [--batch-size B] [--device cpu|cuda]
// The fixture script (python3-torch/torchvision) writes a ResNet-18 with random weights and N JPEGs.
#include "bench_support.h"

#include "alignscope/feature_extraction.h"
#include "alignscope/version.h"

#include <torch/script.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>

using namespace alignscope;

namespace {

double bareForwardSeconds(const std::string& model, int images, int batchSize, const torch::Device& device)
{
    torch::jit::Module module = torch::jit::load(model, device);
    module.eval();
    c10::InferenceMode inference;
    std::vector<at::Tensor> batches;
    for (int first = 0; first < images; first += batchSize)
        batches.push_back(torch::randn({std::min(batchSize, images - first), 3, 224, 224}));
    const double start = bench::seconds();
    for (const at::Tensor& batch : batches) {
        at::Tensor out = module.forward({batch.to(device)}).toTensor().to(at::kCPU);
        (void)out;
    }
    return bench::seconds() - start;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::cerr
            << "usage: bench_extract FIXTURE_SCRIPT [--images N] [--batch-size B] [--device cpu|cuda]\n";
        return 2;
    }
    int images = 192, batchSize = 32;
    std::string deviceName = "cpu";
    for (int i = 2; i + 1 < argc; i += 2) {
        const std::string option = argv[i];
        if (option == "--images")
            images = std::atoi(argv[i + 1]);
        else if (option == "--batch-size")
            batchSize = std::atoi(argv[i + 1]);
        else if (option == "--device")
            deviceName = argv[i + 1];
    }
    configureComputeThreads(0);
    const std::string folder =
        (std::filesystem::temp_directory_path() / ("alignscope-bench-extract-" + std::to_string(::getpid())))
            .string();
    const std::string command = "/usr/bin/python3 " + std::string(argv[1]) + " " + folder +
                                " --resnet18 --bench-images " + std::to_string(images);
    if (std::system(command.c_str()) != 0) {
        std::cerr << "fixture script failed (needs python3-torch, python3-torchvision, python3-pil)\n";
        return 1;
    }
    const bool cuda = deviceName == "cuda";
    const torch::Device device = cuda ? torch::Device(torch::kCUDA, 0) : torch::Device(torch::kCPU);
    ExtractionRequest request;
    request.modelPath = folder + "/resnet18.pt";
    request.imagePaths = *listImages(folder + "/bench");
    request.batchSize = batchSize;
    request.device = cuda ? ComputeDevice::Cuda : ComputeDevice::Cpu;

    // Warm-up: TorchScript's profiling executor optimizes the graph on the first calls.
    bareForwardSeconds(request.modelPath, batchSize * 2, batchSize, device);
    std::vector<double> bare, pipeline;
    for (int round = 0; round < 3; ++round) {
        bare.push_back(bareForwardSeconds(request.modelPath, images, batchSize, device));
        const double start = bench::seconds();
        auto result = extractFeatures(request);
        pipeline.push_back(bench::seconds() - start);
        if (!result) {
            std::cerr << result.error().message() << "\n";
            return 1;
        }
    }
    std::filesystem::remove_all(folder);
    const double bestBare = *std::min_element(bare.begin(), bare.end());
    const double bestPipeline = *std::min_element(pipeline.begin(), pipeline.end());
    std::printf("ResNet-18, %d JPEGs 500x400 -> 224x224, batch %d, %s, %d compute threads\n", images,
                batchSize, deviceName.c_str(), computeThreads());
    std::printf("bare forward passes: %.2f s (best of 3; %.1f images/s)\n", bestBare, images / bestBare);
    std::printf("whole extraction:    %.2f s (best of 3; %.1f images/s)\n", bestPipeline,
                images / bestPipeline);
    std::printf("overhead ratio extraction / bare = %.3f\n", bestPipeline / bestBare);
    return 0;
}
