#pragma once
// What the GUI benchmarks share: THINGS-scale inputs written to a folder, and running the event loop until
// something holds.

#include "alignscope/npy.h"

#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QStringList>
#include <QTimer>
#include <cstdint>
#include <fstream>
#include <functional>
#include <random>

namespace benchgui {

// Runs the event loop until `done` holds (checked every `checkMs`, so the loop sleeps between events) or
// `seconds` pass.
inline bool waitFor(const std::function<bool()>& done, double seconds, int checkMs = 10)
{
    if (done()) return true;
    QEventLoop loop;
    QTimer check;
    check.setInterval(checkMs);
    QObject::connect(&check, &QTimer::timeout, &loop, [&] {
        if (done()) loop.quit();
    });
    QTimer::singleShot(int(seconds * 1000), &loop, &QEventLoop::quit);
    check.start();
    loop.exec();
    return done();
}

// Writes objects.txt (n IDs), triplets.npy (t random triplets of three different objects) and `models`
// feature files model<m>.npy (n × p standard normal float32, rows named by model<m>.rows.txt) into `dir`,
// the same every run (seeded). Returns the triplets' path and then the features', or nothing on failure.
inline QStringList writeThingsScaleInputs(const QDir& dir, std::int64_t n, std::int64_t p, std::int64_t t,
                                          int models)
{
    std::mt19937 rng(0);
    std::normal_distribution<float> normal;
    {
        std::ofstream ids(dir.filePath(QStringLiteral("objects.txt")).toStdString());
        for (std::int64_t i = 0; i < n; ++i)
            ids << "object" << i << "\n";
    }
    std::vector<std::int64_t> triplets;
    triplets.reserve(size_t(3 * t));
    std::uniform_int_distribution<std::int64_t> pick(0, n - 1);
    while (std::int64_t(triplets.size()) < 3 * t) {
        const std::int64_t i = pick(rng), j = pick(rng), k = pick(rng);
        if (i != j && i != k && j != k) triplets.insert(triplets.end(), {i, j, k});
    }
    const QString tripletPath = dir.filePath(QStringLiteral("triplets.npy"));
    if (!alignscope::writeNpy(tripletPath.toStdString(), alignscope::makeInt64Array({t, 3}, triplets)).ok())
        return {};
    std::vector<std::int64_t>().swap(triplets);
    QStringList paths{tripletPath};
    for (int m = 0; m < models; ++m) {
        std::vector<float> values(size_t(n * p));
        for (float& v : values)
            v = normal(rng);
        const QString path = dir.filePath(QStringLiteral("model%1.npy").arg(m));
        if (!alignscope::writeNpy(path.toStdString(), alignscope::makeFloat32Array({n, p}, values)).ok())
            return {};
        QFile::copy(dir.filePath(QStringLiteral("objects.txt")),
                    dir.filePath(QStringLiteral("model%1.rows.txt").arg(m)));
        paths << path;
    }
    return paths;
}

} // namespace benchgui
