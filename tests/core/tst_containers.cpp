// MAT v5/v7.3, HDF5 and PyTorch tensor files, written by the test itself, plus corrupt variants.
#include "test_support.h"

#include "alignscope/hdf5_file.h"
#include "alignscope/mat_file.h"
#include "alignscope/matrix_file.h"
#include "alignscope/npy.h"
#include "alignscope/torch_file.h"

#include <QTemporaryDir>
#include <hdf5.h>
#include <matio.h>

using namespace alignscope;

namespace {

// MATLAB is column-major: a 2×3 matrix [[1 2 3];[4 5 6]] is stored 1 4 2 5 3 6.
void writeMat(const std::string& path, mat_ft version)
{
    mat_t* file = Mat_CreateVer(path.c_str(), nullptr, version);
    QVERIFY(file);
    size_t dims2[2] = {2, 3};
    double matrix[6] = {1, 4, 2, 5, 3, 6};
    matvar_t* m = Mat_VarCreate("judgments", MAT_C_DOUBLE, MAT_T_DOUBLE, 2, dims2, matrix, 0);
    Mat_VarWrite(file, m, MAT_COMPRESSION_NONE);
    Mat_VarFree(m);

    size_t dims3[3] = {2, 2, 2}; // subjects × n × n; element (s, i, j) at s + 2i + 4j
    float stack[8];
    for (int s = 0; s < 2; ++s)
        for (int i = 0; i < 2; ++i)
            for (int j = 0; j < 2; ++j)
                stack[s + 2 * i + 4 * j] = float(100 * s + 10 * i + j);
    matvar_t* st = Mat_VarCreate("stack", MAT_C_SINGLE, MAT_T_SINGLE, 3, dims3, stack, 0);
    Mat_VarWrite(file, st, MAT_COMPRESSION_NONE);
    Mat_VarFree(st);

    size_t cellDims[2] = {3, 1};
    matvar_t* cell = Mat_VarCreate("names", MAT_C_CELL, MAT_T_CELL, 2, cellDims, nullptr, 0);
    const char* names[3] = {"aardvark", "abacus", "zebra"};
    for (int i = 0; i < 3; ++i) {
        size_t charDims[2] = {1, strlen(names[i])};
        Mat_VarSetCell(cell, i,
                       Mat_VarCreate(nullptr, MAT_C_CHAR, MAT_T_UTF8, 2, charDims, (void*)names[i], 0));
    }
    Mat_VarWrite(file, cell, MAT_COMPRESSION_NONE);
    Mat_VarFree(cell);

    size_t one[2] = {1, 1};
    const char* fields[1] = {"pairwisedistances"};
    matvar_t* outer = Mat_VarCreateStruct("BEHAVIOR", 2, one, fields, 0);
    const char* outerFields[1] = {"set1"};
    Mat_VarFree(outer);
    outer = Mat_VarCreateStruct("BEHAVIOR", 2, one, outerFields, 1);
    matvar_t* inner = Mat_VarCreateStruct("set1", 2, one, fields, 1);
    size_t rowDims[2] = {1, 3};
    double distances[3] = {0.5, 0.25, 0.125};
    Mat_VarSetStructFieldByName(inner, "pairwisedistances", 0,
                                Mat_VarCreate(nullptr, MAT_C_DOUBLE, MAT_T_DOUBLE, 2, rowDims, distances, 0));
    Mat_VarSetStructFieldByName(outer, "set1", 0, inner);
    Mat_VarWrite(file, outer, MAT_COMPRESSION_NONE);
    Mat_VarFree(outer);
    Mat_Close(file);
}

void writeHdf5(const std::string& path, bool withIds)
{
    hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    hsize_t dims[2] = {3, 2};
    hid_t space = H5Screate_simple(2, dims, nullptr);
    hid_t dataset =
        H5Dcreate2(file, "features", H5T_IEEE_F32LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    const float values[6] = {1, 2, 3, 4, 5, 6};
    H5Dwrite(dataset, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, values);
    H5Dclose(dataset);
    H5Sclose(space);
    if (withIds) {
        hsize_t idDims[1] = {3};
        hid_t idSpace = H5Screate_simple(1, idDims, nullptr);
        hid_t type = H5Tcopy(H5T_C_S1);
        H5Tset_size(type, H5T_VARIABLE);
        hid_t ids = H5Dcreate2(file, "ids", type, idSpace, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        const char* names[3] = {"c", "a", "b"};
        H5Dwrite(ids, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, names);
        H5Dclose(ids);
        H5Tclose(type);
        H5Sclose(idSpace);
    }
    H5Fclose(file);
}

void corrupt(const std::string& path, qint64 offset, int length)
{
    QFile file(QString::fromStdString(path));
    QVERIFY(file.open(QIODevice::ReadWrite));
    QByteArray bytes = file.readAll();
    for (int i = 0; i < length && offset + i < bytes.size(); ++i)
        bytes[offset + i] = char(0xA5 ^ i);
    file.resize(0);
    file.seek(0);
    file.write(bytes);
}

} // namespace

class TestContainers : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void readsMatFiles_data();
    void readsMatFiles();
    void rejectsBrokenMatFiles_data();
    void rejectsBrokenMatFiles();
    void readsHdf5Features();
    void rejectsBrokenHdf5_data();
    void rejectsBrokenHdf5();
    void readsTorchTensors_data();
    void readsTorchTensors();
    void readsTensorWrittenByPython();
    void rejectsBrokenTorchFiles();
};

void TestContainers::readsMatFiles_data()
{
    QTest::addColumn<int>("version");
    QTest::addColumn<QString>("format");
    QTest::newRow("v5") << int(MAT_FT_MAT5) << "MATLAB v5 .mat";
    QTest::newRow("v7.3") << int(MAT_FT_MAT73) << "MATLAB v7.3 .mat";
}

void TestContainers::readsMatFiles()
{
    QFETCH(int, version);
    QFETCH(QString, format);
    QTemporaryDir dir;
    const std::string path = dir.filePath("sim.mat").toStdString();
    writeMat(path, mat_ft(version));
    auto detected = detectFormat(path);
    QVERIFY(detected.ok());
    QCOMPARE(QString(formatName(*detected)), format);

    auto matrix = readMatVariable(path, "judgments");
    QVERIFY2(matrix.ok(), matrix.ok() ? "" : matrix.error().message().c_str());
    QCOMPARE(matrix->shape, (std::vector<std::int64_t>{2, 3}));
    QCOMPARE(matrix->toFloat64(), (std::vector<double>{1, 2, 3, 4, 5, 6}));

    auto stack = readMatVariable(path, "stack");
    QVERIFY(stack.ok());
    QCOMPARE(stack->shape, (std::vector<std::int64_t>{2, 2, 2}));
    for (int s = 0; s < 2; ++s)
        for (int i = 0; i < 2; ++i)
            for (int j = 0; j < 2; ++j)
                QCOMPARE(stack->valueAt(4 * s + 2 * i + j), double(100 * s + 10 * i + j));

    auto names = readMatVariable(path, "names");
    QVERIFY2(names.ok(), names.ok() ? "" : names.error().message().c_str());
    QCOMPARE(names->str, (std::vector<std::string>{"aardvark", "abacus", "zebra"}));

    auto nested = readMatVariable(path, "BEHAVIOR.set1.pairwisedistances");
    QVERIFY2(nested.ok(), nested.ok() ? "" : nested.error().message().c_str());
    QCOMPARE(nested->toFloat64(), (std::vector<double>{0.5, 0.25, 0.125}));

    auto variables = listMatVariables(path);
    QVERIFY(variables.ok());
    QCOMPARE(variables->size(), size_t(4));
    QVERIFY(!readMatVariable(path, "missing").ok());
    QVERIFY(!readMatVariable(path, "BEHAVIOR.nothing").ok());
    QVERIFY(!readMatVariable(path, "BEHAVIOR").ok()); // a struct is not an array
}

void TestContainers::rejectsBrokenMatFiles_data()
{
    QTest::addColumn<int>("version");
    QTest::addColumn<int>("cutAt");
    QTest::newRow("v5 truncated body") << int(MAT_FT_MAT5) << 200;
    QTest::newRow("v5 header only") << int(MAT_FT_MAT5) << 128;
    QTest::newRow("v5 short header") << int(MAT_FT_MAT5) << 60;
    QTest::newRow("v7.3 truncated") << int(MAT_FT_MAT73) << 1500;
    QTest::newRow("v5 dimensions claim 16 exabytes") << int(MAT_FT_MAT5) << -1;
}

void TestContainers::rejectsBrokenMatFiles()
{
    QFETCH(int, version);
    QFETCH(int, cutAt);
    QTemporaryDir dir;
    const std::string path = dir.filePath("broken.mat").toStdString();
    writeMat(path, mat_ft(version));
    std::string variable = "stack";
    if (cutAt >= 0) {
        QVERIFY(QFile::resize(QString::fromStdString(path), cutAt));
    } else { // first variable's dims sub-element: 128-byte header, 8-byte tag, 16-byte flags, 8-byte tag
        corrupt(path, 160, 0);
        QFile file(QString::fromStdString(path));
        QVERIFY(file.open(QIODevice::ReadWrite));
        file.seek(160);
        const qint32 huge[2] = {2000000000, 2000000000};
        file.write(reinterpret_cast<const char*>(huge), sizeof huge);
        variable = "judgments";
    }
    auto result = readMatVariable(path, variable);
    QVERIFY(!result.ok());
    QVERIFY2(QString::fromStdString(result.error().message()).startsWith(QString::fromStdString(path)),
             result.error().message().c_str());
}

void TestContainers::readsHdf5Features()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("features.h5").toStdString();
    writeHdf5(path, true);
    auto loaded = loadMatrix(path);
    QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().message().c_str());
    QCOMPARE(loaded->format, FileFormat::Hdf5);
    QCOMPARE(loaded->key, std::string("features"));
    QCOMPARE(loaded->array.shape, (std::vector<std::int64_t>{3, 2}));
    QCOMPARE(loaded->array.f32, (std::vector<float>{1, 2, 3, 4, 5, 6}));
    QCOMPARE(loaded->rowIds, (std::vector<std::string>{"c", "a", "b"}));
    QVERIFY(!readHdf5Dataset(path, "nothing").ok());
}

void TestContainers::rejectsBrokenHdf5_data()
{
    QTest::addColumn<QString>("damage");
    QTest::newRow("truncated") << "truncate";
    QTest::newRow("superblock overwritten") << "superblock";
    QTest::newRow("no features dataset") << "nofeatures";
}

void TestContainers::rejectsBrokenHdf5()
{
    QFETCH(QString, damage);
    QTemporaryDir dir;
    const std::string path = dir.filePath("broken.h5").toStdString();
    if (damage == "nofeatures") {
        hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
        H5Fclose(file);
    } else {
        writeHdf5(path, false);
    }
    if (damage == "truncate") QVERIFY(QFile::resize(QString::fromStdString(path), 900));
    if (damage == "superblock") corrupt(path, 8, 40);
    auto result = readHdf5Dataset(path, "features");
    QVERIFY(!result.ok());
    QVERIFY2(QString::fromStdString(result.error().message()).startsWith(QString::fromStdString(path)),
             result.error().message().c_str());
}

void TestContainers::readsTorchTensors_data()
{
    QTest::addColumn<int>("kind");
    QTest::newRow("float32") << int(ElementKind::Float32);
    QTest::newRow("float64") << int(ElementKind::Float64);
    QTest::newRow("int64") << int(ElementKind::Int64);
}

void TestContainers::readsTorchTensors()
{
    QFETCH(int, kind);
    QTemporaryDir dir;
    const std::string path = dir.filePath("t.pt").toStdString();
    NdArray array;
    array.shape = {2, 3};
    array.kind = ElementKind(kind);
    if (array.kind == ElementKind::Float32) array.f32 = {1, 2, 3, 4, 5, 6};
    if (array.kind == ElementKind::Float64) array.f64 = {1, 2, 3, 4, 5, 6};
    if (array.kind == ElementKind::Int64) array.i64 = {1, 2, 3, 4, 5, 6};
    QVERIFY(writeTorchTensorFile(path, array).ok());
    auto detected = detectFormat(path);
    QVERIFY(detected.ok());
    QCOMPARE(*detected, FileFormat::TorchTensor);
    auto back = readTorchTensorFile(path);
    QVERIFY2(back.ok(), back.ok() ? "" : back.error().message().c_str());
    QCOMPARE(back->shape, array.shape);
    QCOMPARE(int(back->kind), kind);
    for (int i = 0; i < 6; ++i)
        QCOMPARE(back->valueAt(i), double(i + 1));
}

void TestContainers::readsTensorWrittenByPython()
{
    if (QProcess::execute("/usr/bin/python3", {"-c", "import torch"}) != 0)
        QSKIP("python3-torch is not installed");
    QTemporaryDir dir;
    const QString path = dir.filePath("py.pt");
    const int rc = QProcess::execute(
        "/usr/bin/python3",
        {"-c",
         "import torch,sys; torch.save(torch.arange(12, dtype=torch.float32).reshape(3, 4).t(), sys.argv[1])",
         path});
    QCOMPARE(rc, 0);
    auto back = readTorchTensorFile(path.toStdString());
    QVERIFY2(back.ok(), back.ok() ? "" : back.error().message().c_str());
    QCOMPARE(back->shape, (std::vector<std::int64_t>{4, 3}));
    QCOMPARE(back->valueAt(1), 4.0); // transposed view saved by Python: row 0 is 0 4 8
}

void TestContainers::rejectsBrokenTorchFiles()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath("bad.pt").toStdString();
    QVERIFY(writeTorchTensorFile(path, makeFloat32Array({4}, {1, 2, 3, 4})).ok());
    QVERIFY(QFile::resize(QString::fromStdString(path), 300));
    auto truncated = readTorchTensorFile(path);
    QVERIFY(!truncated.ok());
    QVERIFY(QString::fromStdString(truncated.error().message()).startsWith(QString::fromStdString(path)));
    const std::string junk =
        testsupport::writeBytes(QDir(dir.path()), "junk.pt", QByteArray("not a pickle at all"));
    QVERIFY(!readTorchTensorFile(junk).ok());
}

QTEST_GUILESS_MAIN(TestContainers)
#include "tst_containers.moc"
