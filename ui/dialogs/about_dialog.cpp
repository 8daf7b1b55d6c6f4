#include "dialogs/about_dialog.h"

#include "alignscope/version.h"

#include <QMessageBox>
#include <QString>

void showAboutDialog(QWidget* parent)
{
    const QString text =
        QObject::tr("<h3>AlignScope %1</h3>"
                    "<p>Measures and explores how well neural network representations align with human "
                    "similarity judgments (odd-one-out, RSA, linear probing, VICE concepts).</p>"
                    "<p>Qt %2 (runtime %3)<br>LibTorch %4</p>"
                    "<p>Method: Muttenthaler et al., ICLR 2023, \"Human alignment of neural network "
                    "representations\".</p>")
            .arg(QString::fromStdString(alignscope::applicationVersion()), QStringLiteral(QT_VERSION_STR),
                 QString::fromLatin1(qVersion()), QString::fromStdString(alignscope::torchVersion()));
    QMessageBox::about(parent, QObject::tr("About AlignScope"), text);
}
