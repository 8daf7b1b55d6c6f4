#include "dialogs/extraction_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

using namespace alignscope;

namespace {

QString joinFloats(const std::array<float, 3>& values)
{
    return QStringLiteral("%1, %2, %3")
        .arg(double(values[0]), 0, 'g', 8)
        .arg(double(values[1]), 0, 'g', 8)
        .arg(double(values[2]), 0, 'g', 8);
}

Result<std::array<float, 3>> parseFloats(const QString& text, const char* field)
{
    const QStringList parts = text.split(',', Qt::SkipEmptyParts);
    std::array<float, 3> values{};
    bool ok = parts.size() == 3;
    for (int i = 0; ok && i < 3; ++i)
        values[size_t(i)] = parts[i].trimmed().toFloat(&ok);
    if (!ok) return makeError("", field, "needs three comma-separated numbers");
    return values;
}

const QString kModelFilePreset = QStringLiteral("model file");

} // namespace

ExtractionDialog::ExtractionDialog(const ModelInfo& info, const ExportedModelManifest* manifest,
                                   QWidget* parent)
    : QDialog(parent), m_modelPath(QString::fromStdString(info.path)), m_images(new QLineEdit(this)),
      m_method(new QComboBox(this)), m_output(new QComboBox(this)), m_pooling(new QComboBox(this)),
      m_preset(new QComboBox(this)), m_resize(new QSpinBox(this)), m_crop(new QSpinBox(this)),
      m_interpolation(new QComboBox(this)), m_mean(new QLineEdit(this)), m_std(new QLineEdit(this)),
      m_batchSize(new QSpinBox(this)), m_device(new QComboBox(this)),
      m_half(new QCheckBox(tr("Half precision (CUDA)"), this)),
      m_skipBroken(new QCheckBox(tr("Skip unreadable images (else the job fails)"), this)),
      m_cache(new QCheckBox(tr("Reuse and store features in the cache"), this))
{
    setWindowTitle(tr("Extract features with %1").arg(QFileInfo(m_modelPath).fileName()));
    auto* form = new QFormLayout(this);
    auto* imagesRow = new QHBoxLayout;
    m_images->setObjectName(QStringLiteral("images"));
    m_images->setPlaceholderText(tr("folder of images, or a text file listing them"));
    imagesRow->addWidget(m_images);
    auto* browseFolder = new QPushButton(tr("Folder…"), this);
    auto* browseList = new QPushButton(tr("List…"), this);
    imagesRow->addWidget(browseFolder);
    imagesRow->addWidget(browseList);
    connect(browseFolder, &QPushButton::clicked, this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Image folder"));
        if (!folder.isEmpty()) m_images->setText(folder);
    });
    connect(browseList, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Image list (one path per line)"));
        if (!file.isEmpty()) m_images->setText(file);
    });
    form->addRow(tr("Images"), imagesRow);

    for (const ModelMethod& method : info.methods)
        m_method->addItem(QString::fromStdString(method.name));
    m_method->setCurrentText(QStringLiteral("forward"));
    form->addRow(tr("Method"), m_method);
    m_output->setEditable(true);
    m_output->setObjectName(QStringLiteral("output"));
    if (info.probeOutputs.size() == 1 && info.probeOutputs[0].selector.empty())
        m_output->addItem(tr("(the tensor)"), QString());
    for (const ModelOutput& output : info.probeOutputs) {
        if (output.selector.empty()) continue;
        QStringList dims;
        for (std::int64_t d : output.shape)
            dims << QString::number(d);
        m_output->addItem(QStringLiteral("%1  [%2]")
                              .arg(QString::fromStdString(output.selector), dims.join(QStringLiteral("×"))),
                          QString::fromStdString(output.selector));
    }
    if (info.probeOutputs.size() > 1) m_output->addItem(tr("all (layer sweep)"), QStringLiteral("all"));
    const bool fromFile = manifest && manifest->present;
    if (fromFile && !manifest->outputs.empty()) {
        const QString first = QString::fromStdString(manifest->outputs.front().name);
        if (m_output->findData(first) < 0) m_output->insertItem(0, first, first);
        m_output->setCurrentIndex(m_output->findData(first));
    }
    auto* outputRow = new QHBoxLayout;
    outputRow->addWidget(m_output, 1);
    if (fromFile) outputRow->addWidget(new QLabel(tr("from the model file"), this));
    form->addRow(tr("Output"), outputRow);
    m_pooling->addItem(tr("global average (4-D) / token mean (3-D)"), QStringLiteral("avg"));
    m_pooling->addItem(tr("flatten"), QStringLiteral("flatten"));
    form->addRow(tr("Spatial outputs"), m_pooling);

    if (fromFile) {
        m_filePreprocessing = manifest->preprocessing;
        m_preset->addItem(kModelFilePreset);
    }
    m_preset->addItems({QStringLiteral("imagenet"), QStringLiteral("clip"), QStringLiteral("none")});
    m_preset->setObjectName(QStringLiteral("preset"));
    auto* presetRow = new QHBoxLayout;
    presetRow->addWidget(m_preset, 1);
    if (fromFile) {
        auto* from = new QLabel(tr("from the model file (%1)")
                                    .arg(QString::fromStdString(manifest->preprocessingFrom.empty()
                                                                    ? manifest->spec
                                                                    : manifest->preprocessingFrom)),
                                this);
        from->setObjectName(QStringLiteral("preprocessingFrom"));
        from->setWordWrap(true);
        presetRow->addWidget(from);
        connect(m_preset, &QComboBox::currentTextChanged, from,
                [from](const QString& name) { from->setVisible(name == kModelFilePreset); });
    }
    form->addRow(tr("Preprocessing preset"), presetRow);
    m_resize->setRange(0, 4096);
    m_resize->setSpecialValueText(tr("keep size"));
    form->addRow(tr("Resize shorter side to"), m_resize);
    m_crop->setRange(0, 4096);
    m_crop->setSpecialValueText(tr("no crop"));
    form->addRow(tr("Center crop"), m_crop);
    m_interpolation->addItems({QStringLiteral("bilinear"), QStringLiteral("bicubic")});
    form->addRow(tr("Interpolation"), m_interpolation);
    form->addRow(tr("Mean (R, G, B)"), m_mean);
    form->addRow(tr("Std (R, G, B)"), m_std);
    connect(m_preset, &QComboBox::currentTextChanged, this, &ExtractionDialog::applyPreset);
    applyPreset(m_preset->currentText());

    m_batchSize->setRange(1, 4096);
    m_batchSize->setValue(32);
    form->addRow(tr("Batch size"), m_batchSize);
    const bool cuda = cudaAvailable();
    m_device->addItem(cuda ? tr("auto (CUDA)") : tr("auto (CPU)"), QStringLiteral("auto"));
    m_device->addItem(tr("CPU"), QStringLiteral("cpu"));
    if (cuda) m_device->addItem(tr("CUDA"), QStringLiteral("cuda"));
    form->addRow(tr("Device"), m_device);
    m_half->setEnabled(cuda);
    form->addRow(QString(), m_half);
    form->addRow(QString(), m_skipBroken);
    m_cache->setChecked(true);
    form->addRow(QString(), m_cache);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Queue extraction"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);
}

void ExtractionDialog::applyPreset(const QString& name)
{
    auto preset = name == kModelFilePreset && m_filePreprocessing
                      ? Result<Preprocessing>(*m_filePreprocessing)
                      : preprocessingPreset(name.toStdString());
    if (!preset) return;
    m_resize->setValue(preset->resize);
    m_crop->setValue(preset->crop);
    m_interpolation->setCurrentText(QString::fromLatin1(resizeFilterName(preset->filter)));
    m_mean->setText(joinFloats(preset->mean));
    m_std->setText(joinFloats(preset->std));
}

void ExtractionDialog::setImages(const QString& folderOrList)
{
    m_images->setText(folderOrList);
}
QString ExtractionDialog::images() const
{
    return m_images->text().trimmed();
}
bool ExtractionDialog::useCache() const
{
    return m_cache->isChecked();
}

Result<ExtractionRequest> ExtractionDialog::request() const
{
    ExtractionRequest request;
    request.modelPath = m_modelPath.toStdString();
    if (images().isEmpty()) return makeError("", "Images", "choose a folder or a list of images");
    auto paths = listImages(images().toStdString());
    if (!paths) return paths.error();
    request.imagePaths = std::move(paths).value();
    request.output.method = m_method->currentText().toStdString();
    const QVariant data = m_output->currentData();
    request.output.output =
        (data.isValid() && m_output->currentText() == m_output->itemText(m_output->currentIndex())
             ? data.toString()
             : m_output->currentText())
            .toStdString();
    request.output.pooling = m_pooling->currentData().toString() == QStringLiteral("flatten")
                                 ? SpatialPooling::Flatten
                                 : SpatialPooling::Average;
    request.preprocessing.resize = m_resize->value();
    request.preprocessing.crop = m_crop->value();
    request.preprocessing.filter = *parseResizeFilter(m_interpolation->currentText().toStdString());
    auto mean = parseFloats(m_mean->text(), "Mean");
    if (!mean) return mean.error();
    auto std = parseFloats(m_std->text(), "Std");
    if (!std) return std.error();
    for (float s : *std)
        if (!(s > 0.f)) return makeError("", "Std", "values must be positive");
    request.preprocessing.mean = *mean;
    request.preprocessing.std = *std;
    request.batchSize = m_batchSize->value();
    request.device = *parseComputeDevice(m_device->currentData().toString().toStdString());
    request.half = m_half->isChecked();
    request.onBrokenImage = m_skipBroken->isChecked() ? BrokenImagePolicy::Skip : BrokenImagePolicy::Fail;
    return request;
}
