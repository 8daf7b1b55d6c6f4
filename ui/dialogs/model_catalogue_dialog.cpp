#include "dialogs/model_catalogue_dialog.h"

#include "alignscope/feature_extraction.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace alignscope;

namespace {

enum Column
{
    NameColumn,
    FamilyColumn,
    ParametersColumn,
    Top1Column,
    TrainingColumn,
    ColumnCount
};

constexpr int kSpecRole = Qt::UserRole;
constexpr int kWeightsRole = Qt::UserRole + 1; // set for dropped models: their own weights

QString numberOrDash(const QJsonValue& value, int decimals)
{
    if (!value.isDouble()) return QStringLiteral("–");
    return decimals < 0 ? QLocale().toString(qlonglong(value.toDouble()))
                        : QLocale().toString(value.toDouble(), 'f', decimals);
}

} // namespace

ModelCatalogueDialog::ModelCatalogueDialog(QWidget* parent)
    : QDialog(parent), m_search(new QLineEdit(this)), m_table(new QTableWidget(0, ColumnCount, this)),
      m_status(new QLabel(tr("Reading the catalogue (alignscope-cli models list)…"), this)),
      m_weights(new QComboBox(this)), m_penultimate(new QCheckBox(tr("penultimate"), this)),
      m_logits(new QCheckBox(tr("logits"), this)), m_layers(new QLineEdit(this)),
      m_images(new QLineEdit(this))
{
    setWindowTitle(tr("Add models by name"));
    auto* layout = new QVBoxLayout(this);
    m_search->setObjectName(QStringLiteral("search"));
    m_search->setPlaceholderText(tr("Search name, family or training data"));
    m_search->setClearButtonEnabled(true);
    layout->addWidget(m_search);
    m_status->setObjectName(QStringLiteral("catalogueStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);
    m_table->setObjectName(QStringLiteral("catalogue"));
    m_table->setHorizontalHeaderLabels(
        {tr("Model"), tr("Family"), tr("Parameters"), tr("ImageNet top-1"), tr("Training data")});
    m_table->horizontalHeader()->setSectionResizeMode(TrainingColumn, QHeaderView::Stretch);
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    layout->addWidget(m_table, 1);

    auto* form = new QFormLayout;
    auto* outputs = new QHBoxLayout;
    m_penultimate->setChecked(true);
    outputs->addWidget(m_penultimate);
    outputs->addWidget(m_logits);
    m_layers->setObjectName(QStringLiteral("layers"));
    m_layers->setPlaceholderText(tr("more nodes by name: layer3, features.3, …"));
    outputs->addWidget(m_layers, 1);
    form->addRow(tr("Outputs"), outputs);
    auto* weightsRow = new QHBoxLayout;
    m_weights->setObjectName(QStringLiteral("weights"));
    m_weights->setEditable(true);
    m_weights->addItem(tr("DEFAULT (torchvision's cache; downloaded where there is a network)"),
                       QStringLiteral("DEFAULT"));
    m_weights->addItem(tr("none (untrained)"), QStringLiteral("none"));
    weightsRow->addWidget(m_weights, 1);
    auto* weightsFile = new QPushButton(tr("File…"), this);
    weightsRow->addWidget(weightsFile);
    connect(weightsFile, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Weights (a state dict)"), QString(),
                                                          tr("PyTorch weights (*.pth *.pt)"));
        if (!file.isEmpty()) setWeights(file);
    });
    form->addRow(tr("Weights"), weightsRow);
    auto* imagesRow = new QHBoxLayout;
    m_images->setObjectName(QStringLiteral("images"));
    m_images->setPlaceholderText(tr("folder of images, or a text file listing them"));
    imagesRow->addWidget(m_images, 1);
    auto* imagesFolder = new QPushButton(tr("Folder…"), this);
    imagesRow->addWidget(imagesFolder);
    connect(imagesFolder, &QPushButton::clicked, this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Image folder"));
        if (!folder.isEmpty()) m_images->setText(folder);
    });
    form->addRow(tr("Images"), imagesRow);
    layout->addLayout(form);
    layout->addWidget(new QLabel(tr("Each model is exported with its own preprocessing and extracted in a "
                                    "child process; its features join every page."),
                                 this));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Export and extract"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    connect(m_search, &QLineEdit::textChanged, this, &ModelCatalogueDialog::filter);
    resize(760, 560);
}

void ModelCatalogueDialog::addRow(const QStringList& cells, const QString& spec, const QString& weights,
                                  bool chosen)
{
    const int row = chosen ? 0 : m_table->rowCount(); // chosen (dropped) models first
    m_table->insertRow(row);
    for (int column = 0; column < ColumnCount; ++column)
        m_table->setItem(row, column, new QTableWidgetItem(cells.value(column)));
    QTableWidgetItem* name = m_table->item(row, NameColumn);
    name->setFlags(name->flags() | Qt::ItemIsUserCheckable);
    name->setCheckState(chosen ? Qt::Checked : Qt::Unchecked);
    name->setData(kSpecRole, spec);
    name->setData(kWeightsRole, weights);
    name->setToolTip(spec);
}

bool ModelCatalogueDialog::setCatalogue(const QByteArray& json)
{
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    const QJsonArray models = document.object().value(QLatin1String("models")).toArray();
    if (error.error != QJsonParseError::NoError || !document.object().contains(QLatin1String("models"))) {
        setCatalogueProblem(
            tr("alignscope-cli models list --json printed no catalogue (%1)")
                .arg(error.error != QJsonParseError::NoError ? error.errorString() : tr("no \"models\"")));
        return false;
    }
    for (const QJsonValue& value : models) {
        const QJsonObject model = value.toObject();
        const QString name = model.value(QLatin1String("name")).toString();
        // The numbers of the default weights: what DEFAULT exports.
        const QString defaultWeights = model.value(QLatin1String("default_weights")).toString();
        QJsonObject weights;
        for (const QJsonValue& variant : model.value(QLatin1String("weights")).toArray())
            if (variant.toObject().value(QLatin1String("name")).toString() == defaultWeights)
                weights = variant.toObject();
        addRow({name, model.value(QLatin1String("family")).toString(),
                numberOrDash(weights.value(QLatin1String("parameters")), -1),
                numberOrDash(weights.value(QLatin1String("imagenet1k_top1")), 2),
                weights.value(QLatin1String("training_data")).toString()},
               model.value(QLatin1String("source")).toString(QStringLiteral("torchvision")) +
                   QLatin1Char(':') + name,
               QString(), false);
    }
    m_problem.clear();
    m_status->setText(tr("%1 models from torchvision %2. Tick the ones to add.")
                          .arg(models.size())
                          .arg(document.object().value(QLatin1String("torchvision_version")).toString()));
    filter();
    Q_EMIT catalogueChanged();
    return true;
}

void ModelCatalogueDialog::setCatalogueProblem(const QString& reason)
{
    m_problem = reason;
    m_status->setText(tr("The catalogue needs PyTorch and torchvision in the Python that AlignScope runs "
                         "(python3, or $ALIGNSCOPE_PYTHON): install python3-torchvision (Debian, Ubuntu: "
                         "sudo apt install python3-torchvision) or pip install torch torchvision.\n%1")
                          .arg(reason));
    Q_EMIT catalogueChanged();
}

QString ModelCatalogueDialog::problem() const
{
    return m_problem;
}

void ModelCatalogueDialog::addChosenModel(const QString& spec, const QString& weights)
{
    const QString name = spec.section(QLatin1Char(':'), 1);
    addRow({QFileInfo(name).fileName(), tr("(dropped)"), QString(), QString(),
            weights.endsWith(QLatin1String(".pth")) ? QFileInfo(weights).fileName() : QString()},
           spec, weights, true);
    filter();
}

void ModelCatalogueDialog::filter()
{
    const QString needle = m_search->text().trimmed();
    for (int row = 0; row < m_table->rowCount(); ++row) {
        bool shown = needle.isEmpty() || m_table->item(row, NameColumn)->checkState() == Qt::Checked;
        for (int column = 0; !shown && column < ColumnCount; ++column)
            shown = m_table->item(row, column)->text().contains(needle, Qt::CaseInsensitive);
        m_table->setRowHidden(row, !shown);
    }
}

void ModelCatalogueDialog::setSearch(const QString& text)
{
    m_search->setText(text);
}

int ModelCatalogueDialog::visibleModels() const
{
    return visibleNames().size();
}

QStringList ModelCatalogueDialog::visibleNames() const
{
    QStringList names;
    for (int row = 0; row < m_table->rowCount(); ++row)
        if (!m_table->isRowHidden(row)) names << m_table->item(row, NameColumn)->data(kSpecRole).toString();
    return names;
}

void ModelCatalogueDialog::choose(const QString& spec, bool chosen)
{
    for (int row = 0; row < m_table->rowCount(); ++row)
        if (m_table->item(row, NameColumn)->data(kSpecRole).toString() == spec)
            m_table->item(row, NameColumn)->setCheckState(chosen ? Qt::Checked : Qt::Unchecked);
}

void ModelCatalogueDialog::setWeights(const QString& weights)
{
    const int index = m_weights->findData(weights);
    if (index >= 0)
        m_weights->setCurrentIndex(index);
    else
        m_weights->setEditText(weights);
}

void ModelCatalogueDialog::setOutputs(const QStringList& outputs)
{
    m_penultimate->setChecked(outputs.contains(QLatin1String("penultimate")));
    m_logits->setChecked(outputs.contains(QLatin1String("logits")));
    QStringList layers = outputs;
    layers.removeAll(QStringLiteral("penultimate"));
    layers.removeAll(QStringLiteral("logits"));
    m_layers->setText(layers.join(QStringLiteral(", ")));
}

void ModelCatalogueDialog::setImages(const QString& folderOrList)
{
    m_images->setText(folderOrList);
}

Result<std::vector<ModelCatalogueDialog::Choice>> ModelCatalogueDialog::choices() const
{
    QStringList outputs;
    if (m_penultimate->isChecked()) outputs << QStringLiteral("penultimate");
    if (m_logits->isChecked()) outputs << QStringLiteral("logits");
    for (const QString& layer : m_layers->text().split(QLatin1Char(','), Qt::SkipEmptyParts))
        if (!layer.trimmed().isEmpty()) outputs << layer.trimmed();
    if (outputs.isEmpty()) return makeError("", "Outputs", "choose at least one output");
    if (m_images->text().trimmed().isEmpty()) return makeError("", "Images", "choose a folder of images");
    auto images = listImages(m_images->text().trimmed().toStdString());
    if (!images) return images.error();
    // The combo's text is what it shows; its data the value, unless the user typed an enum name or a file.
    const int index = m_weights->findText(m_weights->currentText());
    const QString weights =
        index >= 0 ? m_weights->itemData(index).toString() : m_weights->currentText().trimmed();
    std::vector<Choice> chosen;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const QTableWidgetItem* name = m_table->item(row, NameColumn);
        if (name->checkState() != Qt::Checked) continue;
        const QString own = name->data(kWeightsRole).toString();
        chosen.push_back({name->data(kSpecRole).toString(), own.isEmpty() ? weights : own, outputs, *images});
    }
    if (chosen.empty()) return makeError("", "Models", "tick at least one model");
    return chosen;
}

void ModelCatalogueDialog::accept()
{
    if (auto chosen = choices(); !chosen) {
        m_status->setText(QString::fromStdString(chosen.error().message()));
        return;
    }
    QDialog::accept();
}
